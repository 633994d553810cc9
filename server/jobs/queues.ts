import "server-only";
/**
 * The queues and their retry/heartbeat policy. Every run kind shares ONE queue ("runs"; the
 * handler dispatches on run.kind) because pg-boss counts group concurrency per queue: with one
 * queue, "at most N running per workspace" holds across kinds (see ./fairness.ts).
 *
 * Latency-sensitive queues (runs, optimize helpers, hydration batches, alert evaluation and
 * delivery) have pg-boss's NOTIFY on: a sent job wakes the workers at once instead of at their
 * next poll (polling stays as the fallback, e.g. behind a transaction-mode PgBouncer).
 *
 * Priorities: interactive runs are sent with priority 10, batch runs with 0; pg-boss always
 * fetches the highest priority first, so a person's run overtakes any queued sweep.
 */
import type { PgBoss, Queue } from "pg-boss";
import type { RunPriority } from "@/server/db/schema";

/** All runs, every kind (the runnable kinds are listed in lib/runs/kinds.ts). */
export const RUN_QUEUE = "runs";

/** Alert rules to evaluate against newly arrived bars. */
export const ALERT_EVALUATE_QUEUE = "alert-evaluate";
/** One webhook/email delivery (its own job, so a slow endpoint never blocks others). */
export const ALERT_DELIVER_QUEUE = "alert-deliver";
/** Tick of the demo live feed (appends a bar, then enqueues evaluation). */
export const DEMO_FEED_QUEUE = "demo-feed";
/** Cron-triggered saved screens and scheduled alert rules (schedule key = screen / rule id). */
export const SCREEN_SCHEDULE_QUEUE = "screen-schedule";
export const ALERT_SCHEDULE_QUEUE = "alert-schedule";
/** Helpers of optimize runs: a worker process joins a running study and takes trials (server/jobs/optimize-study.ts). */
export const OPTIMIZE_TRIALS_QUEUE = "optimize-trials";
/** Batches of a data hydration (server/data/hydrate.ts); a killed worker's batch is retried elsewhere and skips settled symbols. */
export const HYDRATE_QUEUE = "data-hydrate";
/** Scheduled refresh of hydrated universes (LAB_DATA_REFRESH_CRON): plans one refresh hydration per universe. */
export const DATA_REFRESH_QUEUE = "data-refresh";
/** Lifecycle forward check every 15 minutes; auto-disable decisions on the hourly tick (server/services/lifecycle.ts). */
export const LIFECYCLE_QUEUE = "lifecycle-check";
/** Daily retention pruning (server/ops/retention.ts). */
export const RETENTION_QUEUE = "ops-retention";
/** Scheduled backups into LAB_BACKUP_DIR (server/ops/scheduled-backup.ts). */
export const BACKUP_QUEUE = "ops-backup";

export const PRIORITY: Record<RunPriority, number> = { interactive: 10, batch: 0 };

export interface QueuePolicy {
  heartbeatSeconds: number;
  /** First retry delay of run jobs (doubles per retry, with jitter). Default 5 s. */
  retryDelaySeconds?: number;
}

/** Queue options: transient failures retry with exponential backoff; heartbeats catch dead workers. */
export function queueDefinitions(policy: QueuePolicy): Omit<Queue, "name">[] & { name: string }[] {
  const run = {
    retryLimit: 2,
    retryDelay: policy.retryDelaySeconds ?? 5,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds: 4 * 3600,
    heartbeatSeconds: policy.heartbeatSeconds,
  };
  return [
    { name: RUN_QUEUE, ...run, notify: true },
    {
      name: ALERT_EVALUATE_QUEUE,
      notify: true,
      retryLimit: 2,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: 600,
      heartbeatSeconds: policy.heartbeatSeconds,
    },
    {
      name: ALERT_DELIVER_QUEUE,
      notify: true,
      retryLimit: 4,
      retryDelay: 2,
      retryBackoff: true,
      retryDelayMax: 120,
      expireInSeconds: 60,
    },
    { name: DEMO_FEED_QUEUE, retryLimit: 0, expireInSeconds: 300 },
    { name: SCREEN_SCHEDULE_QUEUE, retryLimit: 1, expireInSeconds: 120 },
    { name: ALERT_SCHEDULE_QUEUE, retryLimit: 1, expireInSeconds: 120 },
    { name: RETENTION_QUEUE, retryLimit: 1, expireInSeconds: 1800 },
    { name: LIFECYCLE_QUEUE, retryLimit: 1, expireInSeconds: 600 },
    { name: BACKUP_QUEUE, retryLimit: 1, retryDelay: 300, expireInSeconds: 3 * 3600 },
    { name: DATA_REFRESH_QUEUE, retryLimit: 1, expireInSeconds: 600 },
    {
      name: HYDRATE_QUEUE,
      notify: true,
      retryLimit: 10,
      retryDelay: 2,
      retryBackoff: true,
      retryDelayMax: 60,
      expireInSeconds: 3600,
      heartbeatSeconds: policy.heartbeatSeconds,
    },
    // A helper that dies is not retried: its trials' leases expire and the others take them over.
    { name: OPTIMIZE_TRIALS_QUEUE, retryLimit: 0, expireInSeconds: 4 * 3600, notify: true },
  ];
}

/**
 * Create every queue (idempotent; pg-boss 12 needs a queue before send/work), and switch an
 * existing queue's NOTIFY on or off to match its definition (databases created before it was set).
 */
export async function ensureQueues(boss: PgBoss, policy: QueuePolicy): Promise<void> {
  const existing = new Map((await boss.getQueues()).map((q) => [q.name, q]));
  for (const { name, ...options } of queueDefinitions(policy)) {
    const q = existing.get(name);
    if (!q) await boss.createQueue(name, options);
    else if (Boolean(q.notify) !== Boolean(options.notify))
      await boss.updateQueue(name, { notify: Boolean(options.notify) });
  }
}
