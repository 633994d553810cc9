import "server-only";
/**
 * One attempt of a run job. Every state change is a conditional update, so the run row stays
 * right whatever the queue does:
 *  - claim: queued|running → running, attempts+1 (running is allowed: the previous attempt's
 *    worker died and pg-boss handed the job to us);
 *  - finish: only while status = running AND attempts = ours, so a stale attempt (an expired
 *    worker that comes back) can never write a second result;
 *  - strategy/input errors fail the run at once; other errors retry with backoff until
 *    pg-boss's retryLimit, then fail with the last error kept on the run.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { statusesAllowing } from "@/lib/lifecycle/run";
import type { Db } from "@/server/db";
import { runs, type Run, type RunResult } from "@/server/db/schema";
import { describeRunError } from "@/server/jobs/run-errors";
import { createRunContext, PermanentRunError, RunCancelledError, type RunHandler } from "./run-context";
import type { RunJobData } from "./send";

/** The slice of a pg-boss job the run processor needs. */
export interface RunJob {
  id: string;
  data: RunJobData;
  retryCount: number;
  retryLimit?: number;
  signal?: AbortSignal;
}

export type RunOutcome = "succeeded" | "failed" | "cancelled" | "retrying" | "skipped";

async function claim(db: Db, runId: string): Promise<Run | null> {
  const now = new Date();
  const [row] = await db
    .update(runs)
    .set({
      status: "running",
      attempts: sqlIncrement(),
      startedAt: now,
      updatedAt: now,
      progress: { stage: "starting", percent: 0, etaSeconds: null },
    })
    .where(and(eq(runs.id, runId), inArray(runs.status, statusesAllowing("claim")), isNull(runs.cancelRequestedAt)))
    .returning();
  return row ?? null;
}

function sqlIncrement() {
  return sql`${runs.attempts} + 1`;
}

async function settle(db: Db, run: Run, set: Partial<Run>): Promise<boolean> {
  const now = new Date();
  const rows = await db
    .update(runs)
    .set({ ...set, updatedAt: now })
    .where(and(eq(runs.id, run.id), eq(runs.status, "running"), eq(runs.attempts, run.attempts)))
    .returning({ id: runs.id });
  return rows.length > 0;
}

function isPermanent(err: unknown): string | null {
  if (err instanceof PermanentRunError) return err.message;
  if (err instanceof AppError && err.code !== "UNAVAILABLE" && err.code !== "INTERNAL") return err.message;
  return describeRunError(err) ?? null;
}

/** Process one run job attempt with the handler for its kind. Throws only to ask pg-boss for a retry. */
export async function processRunJob(
  db: Db,
  job: RunJob,
  handlers: Partial<Record<string, RunHandler>>,
): Promise<RunOutcome> {
  const runId = job.data.runId;
  const run = await claim(db, runId);
  if (!run) {
    // Finished, cancelled, or cancel requested while queued: make sure a cancel request ends the run.
    await db
      .update(runs)
      .set({ status: "cancelled", finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(runs.id, runId), inArray(runs.status, statusesAllowing("cancel"))));
    return "skipped";
  }
  const handler = handlers[run.kind];
  if (!handler) {
    await settle(db, run, {
      status: "failed",
      error: `No worker can run "${run.kind}" runs yet.`,
      finishedAt: new Date(),
    });
    return "failed";
  }
  const ctx = createRunContext(db, run, job.signal);
  try {
    await ctx.progress("starting", 0, true);
    const result = await handler(ctx);
    await ctx.checkpoint();
    // Handlers are picked by the run's kind, so this is that kind's result (RunResults[kind]).
    const ok = await settle(db, run, {
      status: "succeeded",
      result: result as RunResult,
      error: null,
      finishedAt: new Date(),
      progress: { stage: "done", percent: 100, etaSeconds: 0 },
    });
    return ok ? "succeeded" : "skipped";
  } catch (err) {
    if (err instanceof RunCancelledError) {
      if (job.signal?.aborted) return "skipped"; // the queue took the job back; the next attempt owns the run
      await settle(db, run, {
        status: "cancelled",
        finishedAt: new Date(),
        progress: { ...run.progress, stage: "cancelled", etaSeconds: null },
      });
      return "cancelled";
    }
    const permanent = isPermanent(err);
    const message = permanent ?? (err instanceof Error ? err.message : String(err));
    const retryLimit = job.retryLimit ?? 0;
    if (permanent === null && job.retryCount < retryLimit) {
      console.warn(`[jobs] run ${runId} attempt ${run.attempts} failed, will retry:`, message);
      await settle(db, run, {
        status: "queued",
        error: `Attempt ${run.attempts} failed (${message}); retrying.`,
        progress: { stage: "waiting to retry", percent: 0, etaSeconds: null },
      });
      throw err;
    }
    if (permanent === null) console.error(`[jobs] run ${runId} failed after ${run.attempts} attempt(s):`, err);
    await settle(db, run, { status: "failed", error: message.slice(0, 4000), finishedAt: new Date() });
    return "failed";
  } finally {
    ctx.dispose();
  }
}
