import "server-only";
/** Job handlers of the alert queues: evaluation (new bars / schedule) and delivery. */
import type { PgBoss } from "pg-boss";
import type { Db } from "@/server/db";
import { deliver, fanOut } from "./deliver";
import { evaluateRules } from "./evaluate";

export interface EvaluateJobData {
  trigger?: "bar" | "schedule";
  workspaceId?: string;
  ruleIds?: string[];
}

export async function handleAlertEvaluation(boss: PgBoss, db: Db, data: EvaluateJobData): Promise<void> {
  const result = await evaluateRules(db, {
    trigger: data.trigger,
    workspaceId: data.workspaceId,
    ruleIds: data.ruleIds,
  });
  await fanOut(db, boss, result.newEventIds);
}

export async function handleAlertDelivery(
  db: Db,
  data: { deliveryId: string },
  meta: { retryCount: number; retryLimit: number },
): Promise<void> {
  await deliver(db, data.deliveryId, meta);
}

/** A rule's cron fired (schedule key = rule id). */
export async function handleAlertSchedule(boss: PgBoss, db: Db, data: { ruleId: string }): Promise<void> {
  const result = await evaluateRules(db, { ruleIds: [data.ruleId] });
  await fanOut(db, boss, result.newEventIds);
}
