import "server-only";
/** Putting a run on the queue: job id = run id, priority by class, group = workspace (fairness). */
import type { PgBoss } from "pg-boss";
import type { RunKind, RunPriority } from "@/server/db/schema";
import { metrics } from "@/server/ops/metrics";
import { PRIORITY, RUN_QUEUE } from "./queues";

/** What a run job carries; everything else is read from the run row. */
export interface RunJobData {
  runId: string;
  kind: RunKind;
}

export async function sendRunJob(
  boss: PgBoss,
  run: { runId: string; workspaceId: string; kind: RunKind; priority: RunPriority },
): Promise<void> {
  const data: RunJobData = { runId: run.runId, kind: run.kind };
  await boss.send(RUN_QUEUE, data, { id: run.runId, priority: PRIORITY[run.priority], group: { id: run.workspaceId } });
  metrics().runsEnqueued.inc({ kind: run.kind });
}
