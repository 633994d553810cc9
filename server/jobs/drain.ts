import "server-only";
/**
 * Draining due jobs without a long-running worker (a scheduler calls POST /api/jobs/drain):
 * fetch one job at a time from each queue in turn and process it in this request, until the
 * queues are empty or the time budget is spent. Same handlers, same per-workspace caps.
 */
import type { PgBoss } from "pg-boss";
import type { Db } from "@/server/db";
import { handleAlertDelivery, handleAlertEvaluation, handleAlertSchedule } from "@/server/alerts/jobs";
import { handleDemoFeedTick } from "@/server/alerts/demo-feed";
import { maxRunningPerWorkspace } from "./fairness";
import { defaultRunHandlers } from "./handlers";
import {
  ALERT_DELIVER_QUEUE,
  ALERT_EVALUATE_QUEUE,
  ALERT_SCHEDULE_QUEUE,
  DEMO_FEED_QUEUE,
  RUN_QUEUE,
  SCREEN_SCHEDULE_QUEUE,
} from "./queues";
import { processRunJob } from "./run-job";
import type { RunJobData } from "./send";
import { handleScreenSchedule } from "./screen-schedule";

export interface DrainResult {
  processed: Record<string, number>;
  failed: number;
  elapsedMs: number;
}

/** Process due jobs for up to `seconds`. */
export async function drainJobs(boss: PgBoss, db: Db, seconds: number): Promise<DrainResult> {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const handlers = defaultRunHandlers();
  const processed: Record<string, number> = {};
  let failed = 0;
  const steps: [
    string,
    (job: { id: string; data: unknown; retryCount: number; retryLimit: number }) => Promise<unknown>,
  ][] = [
    [SCREEN_SCHEDULE_QUEUE, (j) => handleScreenSchedule(db, j.data as never)],
    [ALERT_SCHEDULE_QUEUE, (j) => handleAlertSchedule(boss, db, j.data as never)],
    [DEMO_FEED_QUEUE, () => handleDemoFeedTick(boss, db)],
    [ALERT_EVALUATE_QUEUE, (j) => handleAlertEvaluation(boss, db, j.data as never)],
    [ALERT_DELIVER_QUEUE, (j) => handleAlertDelivery(db, j.data as never, j)],
    [
      RUN_QUEUE,
      (j) =>
        processRunJob(
          db,
          { id: j.id, data: j.data as RunJobData, retryCount: j.retryCount, retryLimit: j.retryLimit },
          handlers,
        ),
    ],
  ];
  let progressed = true;
  while (progressed && Date.now() < deadline) {
    progressed = false;
    for (const [queue, run] of steps) {
      if (Date.now() >= deadline) break;
      const [job] = await boss.fetch(queue, {
        batchSize: 1,
        includeMetadata: true,
        ...(queue === RUN_QUEUE ? { groupConcurrency: maxRunningPerWorkspace() } : {}),
      });
      if (!job) continue;
      progressed = true;
      try {
        await run(job);
        await boss.complete(queue, job.id);
        processed[queue] = (processed[queue] ?? 0) + 1;
      } catch (err) {
        failed++;
        await boss.fail(queue, job.id, { message: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return { processed, failed, elapsedMs: Date.now() - started };
}
