import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { LifecycleGates } from "@/lib/lifecycle/gates";
import { workspaces } from "./workspaces";

/** Per-workspace lifecycle settings: gate overrides (seed defaults otherwise) and the kill switch. */
export const lifecycleSettings = pgTable("lifecycle_setting", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  gates: jsonb("gates").$type<Partial<LifecycleGates>>().notNull().default({}),
  killSwitch: boolean("kill_switch").notNull().default(false),
  killSwitchAt: timestamp("kill_switch_at", { withTimezone: true }),
  /** What the kill switch disabled, so releasing it restores exactly that. */
  killed: jsonb("killed").$type<{ strategyIds: string[]; alertRuleIds: string[] }>().notNull().default({ strategyIds: [], alertRuleIds: [] }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every lifecycle decision with its inputs: applied or refused, by a person or by the schedule. */
export const lifecycleDecisions = pgTable(
  "lifecycle_decision",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Null for workspace-wide decisions (kill switch). */
    strategyId: uuid("strategy_id"),
    event: text("event").notNull(),
    fromState: text("from_state"),
    toState: text("to_state"),
    outcome: text("outcome").$type<"applied" | "refused">().notNull(),
    reason: text("reason").notNull().default(""),
    inputs: jsonb("inputs").$type<Record<string, unknown>>().notNull().default({}),
    actorLabel: text("actor_label"),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("lifecycle_decision_ws_idx").on(t.workspaceId, t.at)],
);

export type LifecycleDecision = typeof lifecycleDecisions.$inferSelect;
