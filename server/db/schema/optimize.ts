import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { runs } from "./runs";

/**
 * Trials of an optimize run, the study's state (ask-and-tell, as Optuna's RDB storage): any worker
 * process asks for the next trial (an insert the primary key lets one asker win), evaluates it,
 * and tells the result with a conditional update. A `running` row whose lease has expired belonged to a worker
 * that died; it is handed to another worker with the same number and params.
 */
export const optimizeTrials = pgTable(
  "optimize_trial",
  {
    runId: uuid("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    params: jsonb("params").$type<Record<string, number | string | boolean>>().notNull(),
    /** running | complete | pruned | failed */
    state: text("state").notNull(),
    /** Objective values (null where not finite). */
    values: jsonb("values").$type<Array<number | null>>(),
    violation: doublePrecision("violation"),
    intermediate: jsonb("intermediate").$type<Array<[number, number]>>(),
    metrics: jsonb("metrics").$type<Record<string, number | null>>(),
    /** In-sample per-bar returns of a complete trial, Float32 little-endian, base64 (for PBO and DSR). */
    returns: text("returns"),
    error: text("error"),
    /** The process evaluating it (host:pid:start). */
    worker: text("worker").notNull(),
    attempts: integer("attempts").notNull().default(1),
    leaseUntil: timestamp("lease_until", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.runId, t.number] }), index("optimize_trial_run_state_idx").on(t.runId, t.state)],
);
export type OptimizeTrialRow = typeof optimizeTrials.$inferSelect;
