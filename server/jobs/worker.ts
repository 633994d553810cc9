import "server-only";
/**
 * Workers: subscribe this process to the queues. Used by the in-process worker of the app and by
 * `npm run worker`. Stopping is graceful: `stopWorkers` waits for running jobs (pg-boss
 * `stop({ graceful: true })`), and a job whose worker dies is retried elsewhere once its
 * heartbeat goes stale (queue `heartbeatSeconds`).
 */
import type { JobWithMetadata, PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { handleAlertDelivery, handleAlertEvaluation, handleAlertSchedule } from "@/server/alerts/jobs";
import { handleDemoFeedTick, scheduleDemoFeed } from "@/server/alerts/demo-feed";
import { handleScreenSchedule } from "./screen-schedule";
import { maxRunningPerWorkspace } from "./fairness";
import { defaultRunHandlers } from "./handlers";
import {
  ALERT_DELIVER_QUEUE,
  ALERT_EVALUATE_QUEUE,
  ALERT_SCHEDULE_QUEUE,
  DATA_REFRESH_QUEUE,
  DEMO_FEED_QUEUE,
  HYDRATE_QUEUE,
  LIFECYCLE_QUEUE,
  OPTIMIZE_TRIALS_QUEUE,
  RETENTION_QUEUE,
  BACKUP_QUEUE,
  RUN_QUEUE,
  SCREEN_SCHEDULE_QUEUE,
} from "./queues";
import { lifecycleTick } from "@/server/services/lifecycle";
import { runDueEvolutions } from "@/server/services/evolutions";
import { handleDataRefresh, handleHydrateJob } from "./hydrate";
import type { HydrateBatchJob } from "@/server/data/hydrate";
import { handleOptimizeHelper, type OptimizeHelperJob } from "./handlers/optimize";
import { pruneRetention } from "@/server/ops/retention";
import { runScheduledBackup } from "@/server/ops/scheduled-backup";
import type { RunHandler } from "./run-context";
import type { StrategyRunner } from "@/lib/modes/runner";
import { processRunJob, type RunOutcome } from "./run-job";
import type { RunJobData } from "./send";
import { eq } from "drizzle-orm";
import { runs } from "@/server/db/schema";
import { notifyIfOverBudget, recordOutcome } from "@/server/ops/error-budget";
import { withLogContext } from "@/server/ops/log-context";
import { metrics, secondsSince } from "@/server/ops/metrics";

export interface WorkerOptions {
  /** Run jobs at once in this process (default LAB_WORKER_CONCURRENCY). */
  concurrency?: number;
  /** Per-workspace running cap (default LAB_WORKSPACE_MAX_RUNNING). */
  maxRunningPerWorkspace?: number;
  pollingIntervalSeconds?: number;
  /** Override run handlers (tests use trivial ones). */
  handlers?: Partial<Record<string, RunHandler>>;
  /** Also work the alert, delivery, schedule and demo-feed queues (default true). */
  alerts?: boolean;
  /** Start the demo live feed schedule (default: when LAB_DEMO_FEED_SECONDS > 0). */
  demoFeed?: boolean;
  /** Seconds between demo feed ticks (default LAB_DEMO_FEED_SECONDS). */
  demoFeedSeconds?: number;
  onRunOutcome?: (runId: string, outcome: RunOutcome) => void;
  /** Work the optimize-trials queue (default true). */
  optimizeHelpers?: boolean;
  /** Strategy runner of optimize helpers (default: the sandbox; tests pass trusted in-process code). */
  optimizeRunner?: StrategyRunner;
}

export interface Workers {
  stop(): Promise<void>;
}

/** Start workers on `boss` for `db`. */
export async function startWorkers(boss: PgBoss, db: Db, opts: WorkerOptions = {}): Promise<Workers> {
  const e = env();
  const handlers = { ...defaultRunHandlers(), ...opts.handlers };
  const polling = opts.pollingIntervalSeconds ?? 1;
  // Notify-enabled queues (./queues.ts) keep polling at the same pace: a retry or a delayed job
  // becomes due without a NOTIFY (pg-boss would otherwise relax their poll to 30 s).
  const poll = { pollingIntervalSeconds: polling, notifyPollingIntervalSeconds: polling };
  const ids: { name: string; id: string }[] = [];
  const add = async (name: string, id: Promise<string>) => ids.push({ name, id: await id });
  let stopFeed = () => {};
  // Runs and optimize helpers share the process's slots: while every slot is busy the process
  // stops fetching helper jobs (a helper that shares a busy process's compute only slows its
  // study: trial n + window waits for trial n) and fetches them again when a slot frees, so
  // helpers land on processes with room. Runs are always fetched: a person's run never waits
  // behind a study's helpers.
  const slots = opts.concurrency ?? e.LAB_WORKER_CONCURRENCY;
  let busy = 0;
  let stopping = false;
  let helperWorker: string | null = null;
  let helperSwitch = Promise.resolve();
  const syncHelpers = () => {
    helperSwitch = helperSwitch
      .then(async () => {
        const want = opts.optimizeHelpers !== false && !stopping && busy < slots;
        if (want && helperWorker === null) {
          helperWorker = await boss.work<OptimizeHelperJob>(
            OPTIMIZE_TRIALS_QUEUE,
            { localConcurrency: slots, ...poll },
            async ([job]) =>
              occupy(() =>
                withLogContext({ runId: job.data.runId, jobId: job.id, subsystem: "jobs" }, () =>
                  handleOptimizeHelper(db, job.data, opts.optimizeRunner),
                ),
              ),
          );
        } else if (!want && helperWorker !== null) {
          const id = helperWorker;
          helperWorker = null;
          // wait: false — the helper that filled the last slot may be the one asking.
          await boss.offWork(OPTIMIZE_TRIALS_QUEUE, { id, wait: false });
        }
      })
      .catch((err: unknown) =>
        console.warn("[jobs] optimize helper switch:", err instanceof Error ? err.message : err),
      );
    return helperSwitch;
  };
  async function occupy<T>(f: () => Promise<T>): Promise<T> {
    busy++;
    void syncHelpers();
    try {
      return await f();
    } finally {
      busy--;
      void syncHelpers();
    }
  }
  await syncHelpers();
  await add(
    RUN_QUEUE,
    boss.work<RunJobData>(
      RUN_QUEUE,
      {
        localConcurrency: opts.concurrency ?? e.LAB_WORKER_CONCURRENCY,
        groupConcurrency: opts.maxRunningPerWorkspace ?? maxRunningPerWorkspace(),
        ...poll,
        includeMetadata: true,
      },
      async ([job]) =>
        occupy(async () => {
          const { retryLimit } = job as JobWithMetadata<RunJobData>;
          const started = performance.now();
          const count = (status: RunOutcome) => {
            const m = metrics();
            m.runsFinished.inc({ kind: job.data.kind, status });
            if (status !== "skipped") m.runDuration.observe({ kind: job.data.kind, status }, secondsSince(started));
            if (status === "succeeded" || status === "failed") recordOutcome("run", status === "failed");
          };
          let outcome: RunOutcome;
          try {
            outcome = await withLogContext({ runId: job.data.runId, jobId: job.id, subsystem: "jobs" }, () =>
              processRunJob(
                db,
                { id: job.id, data: job.data, retryCount: job.retryCount, retryLimit, signal: job.signal },
                handlers,
              ),
            );
          } catch (err) {
            count("retrying");
            throw err;
          }
          count(outcome);
          if (outcome === "failed") {
            const [row] = await db
              .select({ workspaceId: runs.workspaceId })
              .from(runs)
              .where(eq(runs.id, job.data.runId));
            if (row)
              await notifyIfOverBudget(db, row.workspaceId).catch((err: unknown) =>
                console.warn("[ops] error budget check failed:", err instanceof Error ? err.message : err),
              );
          }
          opts.onRunOutcome?.(job.data.runId, outcome);
        }),
    ),
  );
  // Data hydration batches: every worker takes part (a dead worker's batch is retried on a heartbeat miss).
  await add(
    HYDRATE_QUEUE,
    boss.work<HydrateBatchJob>(
      HYDRATE_QUEUE,
      { localConcurrency: opts.concurrency ?? e.LAB_WORKER_CONCURRENCY, ...poll },
      async ([job]) => withLogContext({ jobId: job.id, subsystem: "jobs" }, () => handleHydrateJob(db, job.data)),
    ),
  );
  if (opts.alerts !== false) {
    const slow = Math.max(polling, 5);
    await add(
      ALERT_EVALUATE_QUEUE,
      boss.work(ALERT_EVALUATE_QUEUE, poll, async ([job]) => handleAlertEvaluation(boss, db, job.data as never)),
    );
    await add(
      ALERT_DELIVER_QUEUE,
      boss.work(ALERT_DELIVER_QUEUE, { ...poll, localConcurrency: 4, includeMetadata: true }, async ([job]) =>
        handleAlertDelivery(db, job.data as never, { retryCount: job.retryCount, retryLimit: job.retryLimit }),
      ),
    );
    await add(
      ALERT_SCHEDULE_QUEUE,
      boss.work(ALERT_SCHEDULE_QUEUE, { pollingIntervalSeconds: slow }, async ([job]) =>
        handleAlertSchedule(boss, db, job.data as never),
      ),
    );
    await add(
      SCREEN_SCHEDULE_QUEUE,
      boss.work(SCREEN_SCHEDULE_QUEUE, { pollingIntervalSeconds: slow }, async ([job]) =>
        handleScreenSchedule(db, job.data as never),
      ),
    );
    const feedSeconds = opts.demoFeedSeconds ?? e.LAB_DEMO_FEED_SECONDS;
    await add(
      DEMO_FEED_QUEUE,
      boss.work(
        DEMO_FEED_QUEUE,
        { pollingIntervalSeconds: Math.min(slow, Math.max(polling, feedSeconds || slow)) },
        async () => handleDemoFeedTick(boss, db),
      ),
    );
    if (opts.demoFeed ?? feedSeconds > 0) stopFeed = await scheduleDemoFeed(boss, feedSeconds);
    await add(
      RETENTION_QUEUE,
      boss.work(RETENTION_QUEUE, { pollingIntervalSeconds: slow }, async () => {
        const pruned = await pruneRetention(db);
        console.log("[ops] retention pruning:", JSON.stringify(pruned));
      }),
    );
    // Once a day at 03:17 (pg-boss keeps one schedule per name across processes).
    await boss.schedule(RETENTION_QUEUE, "17 3 * * *", {});
    // Hydrated universes fetch their missing bars (LAB_DATA_REFRESH_CRON; "off" removes the schedule).
    await add(
      DATA_REFRESH_QUEUE,
      boss.work(DATA_REFRESH_QUEUE, { pollingIntervalSeconds: slow }, async () =>
        handleDataRefresh(boss, db, Date.now()),
      ),
    );
    if (e.LAB_DATA_REFRESH_CRON.trim().toLowerCase() === "off") await boss.unschedule(DATA_REFRESH_QUEUE);
    else await boss.schedule(DATA_REFRESH_QUEUE, e.LAB_DATA_REFRESH_CRON, {});
    // Strategy lifecycle: forward check every 15 minutes, decisions on the hourly tick, due evolutions.
    await add(
      LIFECYCLE_QUEUE,
      boss.work(LIFECYCLE_QUEUE, { pollingIntervalSeconds: slow }, async () => {
        const now = new Date();
        const done = await lifecycleTick(db, { now });
        if (done.disabled.length) console.log("[lifecycle] auto-disabled:", JSON.stringify(done.disabled));
        // Standing evolutions breed one generation when due (every 24 h by default).
        const bred = await runDueEvolutions(db, { now });
        if (bred.ran.length || bred.failed.length || bred.skipped.length)
          console.log("[lifecycle] evolutions:", JSON.stringify(bred));
      }),
    );
    await boss.schedule(LIFECYCLE_QUEUE, "*/15 * * * *", {});
    const backupDir = e.LAB_BACKUP_DIR;
    if (backupDir) {
      // Only processes with a backup folder take the job; the schedule comes from LAB_BACKUP_CRON.
      await add(
        BACKUP_QUEUE,
        boss.work(BACKUP_QUEUE, { pollingIntervalSeconds: slow }, async () => {
          const kind = e.DATABASE_URL ? "pg_dump" : "logical";
          const done = await runScheduledBackup(db, {
            dir: backupDir,
            keep: e.LAB_BACKUP_KEEP,
            kind,
            url: e.DATABASE_URL,
          });
          console.log(`[ops] backup written: ${done.file} (${done.bytes} bytes); removed ${done.removed.length} older`);
        }),
      );
      await boss.schedule(BACKUP_QUEUE, e.LAB_BACKUP_CRON, {});
    }
  }
  return {
    /** Stop taking new jobs and wait for the running ones. */
    async stop() {
      stopFeed();
      stopping = true;
      await syncHelpers();
      await Promise.all([
        ...ids.map(({ name, id }) => boss.offWork(name, { id, wait: true }).catch(() => undefined)),
        boss.offWork(OPTIMIZE_TRIALS_QUEUE, { wait: true }).catch(() => undefined),
      ]);
    },
  };
}
