import { boolean, doublePrecision, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { LifecycleGates } from "@/lib/lifecycle/gates";
import { strategies } from "./strategies";
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
  killed: jsonb("killed")
    .$type<{ strategyIds: string[]; alertRuleIds: string[] }>()
    .notNull()
    .default({ strategyIds: [], alertRuleIds: [] }),
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

/**
 * The forward test of a SHADOW / LIVE strategy: its signals on bars that arrived after it entered
 * SHADOW drive a paper portfolio (the engine, no broker); the equity is stored and compared with
 * what its candidate backtest predicted for the same number of bars.
 */
export const forwardTests = pgTable("forward_test", {
  strategyId: uuid("strategy_id")
    .primaryKey()
    .references(() => strategies.id, { onDelete: "cascade" }),
  workspaceId: uuid("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  symbols: jsonb("symbols").$type<string[]>().notNull(),
  /** Newest bar time when the forward test began: bars after it are forward bars. */
  startBarMs: doublePrecision("start_bar_ms").notNull(),
  /** Backtest's log return per bar (the expectation); null when unknown. */
  expectedLogReturnPerBar: doublePrecision("expected_log_return_per_bar"),
  /** Forward equity per forward bar (times and values), paper portfolio starting at 10 000. */
  times: jsonb("times").$type<number[]>().notNull().default([]),
  equity: jsonb("equity").$type<number[]>().notNull().default([]),
  returnPct: doublePrecision("return_pct"),
  expectedReturnPct: doublePrecision("expected_return_pct"),
  maxDrawdownPct: doublePrecision("max_drawdown_pct"),
  lastError: text("last_error"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ForwardTest = typeof forwardTests.$inferSelect;
