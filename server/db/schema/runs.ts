import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

/** Kinds of background run. optimize/improve/evolve/forward join later with their own handlers. */
export const RUN_KINDS = ["backtest", "screen", "alert", "optimize", "improve", "evolve", "forward"] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Statuses a run never leaves. */
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "cancelled"];

/** interactive: a person is waiting (goes first); batch: sweeps, schedules, API bulk jobs. */
export type RunPriority = "interactive" | "batch";

/** Live progress of a run: stage name, percent 0–100, estimated seconds left (null when unknown). */
export interface RunProgress {
  stage: string;
  percent: number;
  etaSeconds: number | null;
}

/**
 * One background run: the source of truth the UI watches. The queue job carries only the run id
 * (the pg-boss job id equals the run id); a retried job finds this row and never writes a second
 * result (the final update is conditional on status = 'running').
 */
export const runs = pgTable(
  "run",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text("kind").$type<RunKind>().notNull(),
    status: text("status").$type<RunStatus>().notNull().default("queued"),
    priority: text("priority").$type<RunPriority>().notNull().default("interactive"),
    /** What to run: strategy id + version, universe/symbols, from/to, params, config (kind-specific). */
    input: jsonb("input").$type<Record<string, unknown>>().notNull(),
    progress: jsonb("progress").$type<RunProgress>().notNull().default({ stage: "queued", percent: 0, etaSeconds: null }),
    /** The run mode's result (BacktestResult, ScreenResult, AlertResult …). */
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    /** Times a worker has picked the run up (2+ after a retry). */
    attempts: integer("attempts").notNull().default(0),
    /** Saved screen or alert rule that started it, when any. */
    screenId: uuid("screen_id"),
    alertRuleId: uuid("alert_rule_id"),
    /** user | api | schedule | system */
    origin: text("origin").notNull().default("user"),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true }),
  },
  (t) => [
    index("run_workspace_created_idx").on(t.workspaceId, t.createdAt),
    index("run_workspace_status_idx").on(t.workspaceId, t.status),
    index("run_screen_idx").on(t.screenId, t.createdAt),
  ],
);

export type Run = typeof runs.$inferSelect;
