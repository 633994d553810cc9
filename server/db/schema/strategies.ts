import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import type { StrategyState } from "@/lib/lifecycle/strategy";
import { workspaces } from "./workspaces";

export const strategies = pgTable(
  "strategy",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    state: text("state").$type<StrategyState>().notNull().default("CANDIDATE"),
    /** Latest version number (versions are 1, 2, 3 …). */
    latestVersion: integer("latest_version").notNull().default(1),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [index("strategy_workspace_idx").on(t.workspaceId, t.updatedAt)],
);

/** Immutable versions of a strategy's code, with how each came to be. */
export const strategyVersions = pgTable(
  "strategy_version",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    strategyId: uuid("strategy_id")
      .notNull()
      .references(() => strategies.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    version: integer("version").notNull(),
    code: text("code").notNull(),
    /** The declared parameter spec (from the module's `params`), as plain JSON. */
    params: jsonb("params").$type<Record<string, unknown>>().notNull().default({}),
    source: text("source").$type<"manual" | "generated" | "example" | "improved" | "restored" | "api">().notNull(),
    /** Generation details when source = generated: prompt, model, market context, token usage, repair attempts. */
    generation: jsonb("generation").$type<Record<string, unknown>>(),
    note: text("note"),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("strategy_version_unique").on(t.strategyId, t.version), index("strategy_version_ws_idx").on(t.workspaceId)],
);

export type Strategy = typeof strategies.$inferSelect;
export type StrategyVersion = typeof strategyVersions.$inferSelect;
