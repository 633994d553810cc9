import "server-only";
/**
 * Optimize runs. The study's state lives in Postgres (server/jobs/optimize-study.ts): this job
 * coordinates — it sends helper jobs so other worker processes take trials too, takes trials
 * itself, waits for the in-flight ones, then builds the result (best trial out of sample,
 * walk-forward, subset, importance, overfitting figures). Strategy code runs in the sandbox's
 * child processes. Progress shows the trial count and best so far; cancel is checked after every trial.
 */
import { and, eq, sql } from "drizzle-orm";
import { env } from "@/lib/env";
import type { PgBoss } from "pg-boss";
import { participateInStudy, runOptimize, type OptimizeRequest } from "@/lib/modes/optimize";
import type { StrategyRunner } from "@/lib/modes/runner";
import { startIndexes } from "@/lib/modes/window";
import { SpaceError } from "@/lib/optimize/space";
import type { Db } from "@/server/db";
import { runs } from "@/server/db/schema";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import { getGridLimit } from "@/server/services/optimize-settings";
import { seedResumedTrials } from "@/server/services/optimize-studies";
import { getBoss } from "../boss";
import { loadRunBars } from "../bars";
import { dbStudyExecutor } from "../optimize-study";
import { OPTIMIZE_TRIALS_QUEUE } from "../queues";
import { PermanentRunError, RunCancelledError, type KindHandler, type RunContext } from "../run-context";
import { prepareRun } from "./common";

export interface OptimizeHandlerOptions {
  gridLimit?: number;
  /** Helper jobs sent per study (other worker processes join through them). Default LAB_OPTIMIZE_HELPERS (2). */
  helpers?: number;
  /** Trial lease before a running trial is handed out again. Default LAB_OPTIMIZE_TRIAL_LEASE_SECONDS (10 minutes). */
  leaseMs?: number;
  /** The queue to send helper jobs on (default: the app's pg-boss). */
  boss?: () => Promise<PgBoss>;
}

/** Job data of a helper: which study to join. */
export interface OptimizeHelperJob {
  runId: string;
  workspaceId: string;
  studyStartMs: number;
  leaseMs: number;
  /** Trials that may run at once (1 + helpers): every participant samples with the same window. */
  window?: number;
}

/** The window an earlier optimize run used (recorded in its input, or `parallel_window` in its result), or null. */
async function windowOf(db: Db, workspaceId: string, runId: string): Promise<number | null> {
  const [r] = await db
    .select({ input: runs.input, result: runs.result })
    .from(runs)
    .where(and(eq(runs.id, runId), eq(runs.workspaceId, workspaceId)));
  const ok = (w: unknown): w is number => typeof w === "number" && Number.isInteger(w) && w >= 1 && w <= 65;
  const recorded = (r?.input as { study?: { window?: unknown } } | undefined)?.study?.window;
  if (ok(recorded)) return recorded;
  const w = (r?.result as { parallel_window?: unknown } | null | undefined)?.parallel_window;
  return ok(w) ? w : null;
}

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The run's strategy, data window and study, as every participant needs them. */
async function studyInputs(ctx: RunContext, runner: StrategyRunner) {
  const run = await prepareRun(ctx, "optimize", runner);
  const data = await loadRunBars(ctx.db, ctx.run.workspaceId, run.symbols, {
    toMs: run.toMs,
    fundamentals: run.fundamentals || Boolean(run.input.study.subset),
    macro: run.macro,
  });
  // Every symbol must have bars in the window (the same check as a backtest's).
  startIndexes(data.universe, run.fromMs);
  const req: Omit<OptimizeRequest, "clock"> = {
    source: run.source,
    runner,
    universe: data.universe,
    fromMs: run.fromMs,
    fundamentals: data.fundamentals,
    macro: data.macro,
    params: run.input.params,
    study: run.input.study,
    config: run.input.config,
  };
  return { run, req };
}

export function optimizeHandler(
  runner: StrategyRunner = sandboxRunner,
  options: OptimizeHandlerOptions = {},
): KindHandler<"optimize"> {
  const leaseMs = options.leaseMs ?? env().LAB_OPTIMIZE_TRIAL_LEASE_SECONDS * 1000;
  return async (ctx) => {
    await ctx.progress("loading strategy and data", 2, true);
    const { run, req } = await studyInputs(ctx, runner);
    const study = run.input.study;
    const gridLimit = options.gridLimit ?? (await getGridLimit(ctx.db, ctx.run.workspaceId));
    await ctx.checkpoint();
    // A resumed study starts from the earlier run's finished trials (the sampler sees them).
    if (run.input.resumeOf) await seedResumedTrials(ctx.db, ctx.run.workspaceId, ctx.run.id, run.input.resumeOf);
    // A retried attempt continues the same study: its trials are already in the table.
    const studyStartMs = (ctx.run.startedAt ?? new Date()).getTime();
    // The study's window decides its trial sequence: the one it was queued with, else the one of
    // the run it resumes, else 1 + the helper jobs. It is recorded on the run the first time, so a
    // retried attempt and a later resume sample against the same history.
    const window =
      study.window ??
      (run.input.resumeOf ? await windowOf(ctx.db, ctx.run.workspaceId, run.input.resumeOf) : null) ??
      (options.helpers ?? env().LAB_OPTIMIZE_HELPERS) + 1;
    if (study.window === undefined)
      await ctx.db
        .update(runs)
        .set({ input: sql`jsonb_set(${runs.input}, '{study,window}', ${JSON.stringify(window)}::jsonb)` })
        .where(eq(runs.id, ctx.run.id));
    const helpers = window - 1;
    if (helpers > 0) {
      const boss = await (options.boss ?? getBoss)();
      const job: OptimizeHelperJob = {
        runId: ctx.run.id,
        workspaceId: ctx.run.workspaceId,
        studyStartMs,
        leaseMs,
        window,
      };
      for (let i = 0; i < helpers; i++)
        await boss.send(OPTIMIZE_TRIALS_QUEUE, job, { singletonKey: `${ctx.run.id}:${ctx.run.attempts}:${i}` });
    }
    let cancelled = false;
    const started = Date.now();
    const progress = (n: number, best: number | null, expected: number | null, stage: string) => {
      const b = best === null || !Number.isFinite(best) ? "—" : best.toFixed(3);
      const of = expected !== null ? `/${expected}` : "";
      const pct =
        expected !== null
          ? 10 + (85 * n) / expected
          : study.timeout
            ? 10 + (85 * (Date.now() - started)) / (study.timeout * 1000)
            : 50;
      void ctx.progress(`${stage} ${n}${of} · best ${study.objectives[0].metric} ${b}`, Math.min(95, pct));
      ctx.checkpoint().catch(() => {
        cancelled = true;
      });
    };
    const dir = study.objectives[0].direction;
    let best: number | null = null;
    try {
      const result = await runOptimize({
        ...req,
        window,
        gridLimit,
        clock: { now: () => Date.now() },
        isCancelled: () => cancelled,
        between: yieldTurn,
        executor: dbStudyExecutor(ctx.db, ctx.run.id, {
          leaseMs,
          studyStartMs,
          waitForInFlight: true,
          isCancelled: () => cancelled,
          between: yieldTurn,
          onTrial: (t, all) => {
            const v = t.values?.[0];
            if (
              t.state === "complete" &&
              v !== undefined &&
              Number.isFinite(v) &&
              (best === null || (dir === "maximize" ? v > best : v < best))
            )
              best = v;
            progress(all.length, best, study.method === "grid" ? null : (study.trials ?? null), "trial");
          },
        }),
        onTrial: (p) =>
          progress(
            p.n_trials,
            p.best_value,
            p.expected_trials,
            p.stage === "search" ? "trial" : `${p.stage.replace("_", "-")} trial`,
          ),
      });
      return { ...result, parallel_window: window };
    } catch (err) {
      if (err instanceof SpaceError) throw new PermanentRunError(err.message);
      throw err;
    } finally {
      if (cancelled) await ctx.checkpoint();
    }
  };
}

/** A helper job: join a running study and take trials until it stops. */
export async function handleOptimizeHelper(
  db: Db,
  job: OptimizeHelperJob,
  runner: StrategyRunner = sandboxRunner,
): Promise<void> {
  const [run] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.id, job.runId), eq(runs.workspaceId, job.workspaceId)));
  if (!run || run.kind !== "optimize" || run.status !== "running" || run.cancelRequestedAt) return;
  let stopped = false;
  let lastCheck = 0;
  const check = async () => {
    if (Date.now() - lastCheck < 500) return;
    lastCheck = Date.now();
    const [r] = await db
      .select({ status: runs.status, c: runs.cancelRequestedAt })
      .from(runs)
      .where(eq(runs.id, job.runId));
    if (!r || r.status !== "running" || r.c) stopped = true;
  };
  const ctx: RunContext = {
    run,
    db,
    signal: new AbortController().signal,
    progress: async () => {},
    checkpoint: async () => {
      lastCheck = 0;
      await check();
      if (stopped) throw new RunCancelledError();
    },
  };
  try {
    const { req } = await studyInputs(ctx, runner);
    await participateInStudy({
      ...req,
      window: job.window ?? env().LAB_OPTIMIZE_HELPERS + 1,
      // The same grid as the coordinator's (a workspace may allow more than the default).
      gridLimit: await getGridLimit(db, job.workspaceId),
      clock: { now: () => Date.now() },
      executor: dbStudyExecutor(db, job.runId, {
        leaseMs: job.leaseMs,
        studyStartMs: job.studyStartMs,
        waitForInFlight: false,
        isCancelled: () => stopped,
        between: async () => {
          await check();
          await yieldTurn();
        },
      }),
    });
  } catch (err) {
    if (err instanceof RunCancelledError) return;
    throw err;
  }
}
