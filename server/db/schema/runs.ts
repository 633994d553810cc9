import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

// Kinds, statuses and the result/input shapes are defined once in lib/ (relative paths: drizzle-kit
// loads this file without the app's path aliases).
import { RUN_KINDS, type RunKind, type RunResult } from "../../../lib/runs/kinds";
import { RUN_STATUSES, TERMINAL_RUN_STATUSES, type RunStatus } from "../../../lib/lifecycle/run";
import type { RunInput } from "../../../lib/schemas/runs";

export { RUN_KINDS, RUN_STATUSES, TERMINAL_RUN_STATUSES };
export type { RunInput, RunKind, RunResult, RunStatus };

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
    /** What to run: the kind's spec (lib/schemas/runs.ts) with the strategy version pinned. */
    input: jsonb("input").$type<RunInput>().notNull(),
    progress: jsonb("progress")
      .$type<RunProgress>()
      .notNull()
      .default({ stage: "queued", percent: 0, etaSeconds: null }),
    /** The kind's result (lib/runs/kinds.ts RunResults; `tagRunResult(kind, result)` narrows it). */
    result: jsonb("result").$type<RunResult>(),
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
