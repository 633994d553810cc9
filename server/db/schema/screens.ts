import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { strategies } from "./strategies";
import { workspaces } from "./workspaces";

/**
 * A saved screen: strategy (+ optional pinned version) over a universe or symbol list, with an
 * optional cron schedule. Its history is the runs that point at it (run.screen_id).
 */
export const screens = pgTable(
  "screen",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    strategyId: uuid("strategy_id")
      .notNull()
      .references(() => strategies.id, { onDelete: "cascade" }),
    /** null: always the latest version. */
    strategyVersion: integer("strategy_version"),
    universe: text("universe"),
    symbols: jsonb("symbols").$type<string[]>(),
    params: jsonb("params").$type<Record<string, string | number | boolean>>().notNull().default({}),
    limit: integer("limit").notNull().default(50),
    /** 5-field cron expression (UTC), or null for on-demand only. */
    schedule: text("schedule"),
    lastRunId: uuid("last_run_id"),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [index("screen_workspace_idx").on(t.workspaceId, t.updatedAt)],
);

export type Screen = typeof screens.$inferSelect;
