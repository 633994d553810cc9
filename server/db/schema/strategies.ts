import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
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
    /** When `state` last changed. */
    stateChangedAt: timestamp("state_changed_at", { withTimezone: true }),
    /** Latest fitness (0–100, lib/evolve), null until scored. */
    fitness: real("fitness"),
    /** Candidate backtest figures the SHADOW gate reads: profit_factor, win_rate_pct, num_trades. */
    candidateMetrics: jsonb("candidate_metrics").$type<{
      profit_factor: number | null;
      win_rate_pct: number | null;
      num_trades: number;
    }>(),
    /** Newest bar time (ms) when the strategy entered SHADOW, and the newest seen by the forward check since. */
    shadowStartBarMs: doublePrecision("shadow_start_bar_ms"),
    forwardLastBarMs: doublePrecision("forward_last_bar_ms"),
    /** Why the strategy was disabled (auto-disable criterion, kill switch or a person's reason). */
    disabledReason: text("disabled_reason"),
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
  (t) => [
    unique("strategy_version_unique").on(t.strategyId, t.version),
    index("strategy_version_ws_idx").on(t.workspaceId),
  ],
);

export type Strategy = typeof strategies.$inferSelect;
export type StrategyVersion = typeof strategyVersions.$inferSelect;
