import "server-only";
/** Alert rules (create/update/delete/list, schedules kept in pg-boss) and the alert feed (filters, acknowledge). */
import { and, desc, eq, inArray, isNotNull, isNull, lt, type SQL } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { ruleColumnsOf, type AlertRuleFields } from "@/lib/schemas/alerts";
import type { Db, DbOrTx } from "@/server/db";
import { alertEvents, alertRules, type AlertPriority } from "@/server/db/schema";
import { getBoss } from "@/server/jobs/boss";
import { ALERT_SCHEDULE_QUEUE } from "@/server/jobs/queues";
import { recordAudit } from "./audit";
import { getStrategyOrThrow } from "./strategies";
import type { WorkspaceCaller } from "@/server/auth/access";

export type { AlertRuleFields };

async function syncSchedule(ruleId: string, fields: AlertRuleFields | null): Promise<void> {
  try {
    const boss = await getBoss();
    if (fields?.enabled && fields.trigger === "schedule" && fields.schedule)
      await boss.schedule(ALERT_SCHEDULE_QUEUE, fields.schedule, { ruleId }, { key: ruleId });
    else await boss.unschedule(ALERT_SCHEDULE_QUEUE, ruleId);
  } catch (err) {
    console.warn(`[alerts] schedule of rule ${ruleId} not updated:`, err instanceof Error ? err.message : err);
  }
}

const values = ruleColumnsOf;

export async function createAlertRule(db: Db, caller: WorkspaceCaller, fields: AlertRuleFields) {
  if (fields.strategyId) await getStrategyOrThrow(db, caller.workspaceId, fields.strategyId);
  const rule = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(alertRules)
      .values({ workspaceId: caller.workspaceId, ...values(fields), createdBy: caller.actor.userId ?? caller.actor.id })
      .returning();
    await recordAudit(tx, {
      action: "alert_rule.created",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "alert_rule", id: row.id },
      metadata: { name: row.name, trigger: row.trigger },
    });
    return row;
  });
  await syncSchedule(rule.id, fields);
  return rule;
}

export async function updateAlertRule(db: Db, caller: WorkspaceCaller, ruleId: string, fields: AlertRuleFields) {
  if (fields.strategyId) await getStrategyOrThrow(db, caller.workspaceId, fields.strategyId);
  const rule = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(alertRules)
      .set({ ...values(fields), updatedAt: new Date() })
      .where(and(eq(alertRules.id, ruleId), eq(alertRules.workspaceId, caller.workspaceId)))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "Alert rule not found.");
    await recordAudit(tx, {
      action: "alert_rule.updated",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "alert_rule", id: ruleId },
      metadata: { enabled: row.enabled },
    });
    return row;
  });
  await syncSchedule(rule.id, fields);
  return rule;
}

export async function deleteAlertRule(db: Db, caller: WorkspaceCaller, ruleId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx
      .delete(alertRules)
      .where(and(eq(alertRules.id, ruleId), eq(alertRules.workspaceId, caller.workspaceId)))
      .returning({ id: alertRules.id });
    if (rows.length === 0) throw new AppError("NOT_FOUND", "Alert rule not found.");
    await recordAudit(tx, {
      action: "alert_rule.deleted",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "alert_rule", id: ruleId },
    });
  });
  await syncSchedule(ruleId, null);
}

export async function listAlertRules(db: DbOrTx, workspaceId: string) {
  return db
    .select()
    .from(alertRules)
    .where(eq(alertRules.workspaceId, workspaceId))
    .orderBy(desc(alertRules.updatedAt));
}

export interface AlertFeedFilter {
  ruleId?: string;
  symbol?: string;
  priority?: AlertPriority;
  acknowledged?: boolean;
  limit: number;
  before?: string;
}

/** The alert feed, newest first, with keyset paging. */
export async function listAlertEvents(db: DbOrTx, workspaceId: string, f: AlertFeedFilter) {
  const where: SQL[] = [eq(alertEvents.workspaceId, workspaceId)];
  if (f.ruleId) where.push(eq(alertEvents.ruleId, f.ruleId));
  if (f.symbol) where.push(eq(alertEvents.symbol, f.symbol));
  if (f.priority) where.push(eq(alertEvents.priority, f.priority));
  if (f.acknowledged === true) where.push(isNotNull(alertEvents.acknowledgedAt));
  if (f.acknowledged === false) where.push(isNull(alertEvents.acknowledgedAt));
  if (f.before) where.push(lt(alertEvents.createdAt, new Date(f.before)));
  const rows = await db
    .select()
    .from(alertEvents)
    .where(and(...where))
    .orderBy(desc(alertEvents.createdAt))
    .limit(f.limit + 1);
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return { rows: page, nextCursor: more ? page[page.length - 1].createdAt.toISOString() : null };
}

/** Mark events acknowledged (idempotent: already acknowledged ones keep their first ack). */
export async function acknowledgeAlerts(
  db: Db,
  caller: WorkspaceCaller,
  eventIds: string[],
): Promise<{ acknowledged: number }> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(alertEvents)
      .set({ acknowledgedAt: new Date(), acknowledgedBy: caller.actor.userId ?? caller.actor.id })
      .where(
        and(
          eq(alertEvents.workspaceId, caller.workspaceId),
          inArray(alertEvents.id, eventIds),
          isNull(alertEvents.acknowledgedAt),
        ),
      )
      .returning({ id: alertEvents.id });
    await recordAudit(tx, {
      action: "alert.acknowledged",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      metadata: { count: rows.length },
    });
    return { acknowledged: rows.length };
  });
}
