import "server-only";
/**
 * Getting alert events to people: an in-app notification per event, and one delivery job per
 * event × channel (so a slow or failing endpoint never holds up the others). Webhooks are
 * signed (./signature.ts), time out after LAB_WEBHOOK_TIMEOUT_MS, retry with backoff, and a
 * channel is disabled after LAB_WEBHOOK_MAX_FAILURES consecutive failures, with the reason
 * stored on the channel and an admin-only notification. Email goes through SMTP_URL when set.
 * Both pass through an outbound policy (server/ops/resilience.ts): one breaker and rate limit
 * per webhook host, one for SMTP.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import type { Db, DbOrTx } from "@/server/db";
import {
  alertChannels,
  alertDeliveries,
  alertEvents,
  alertRules,
  ALERT_PRIORITIES,
  notifications,
  type AlertChannel,
  type AlertEvent,
} from "@/server/db/schema";
import { decryptSecret } from "@/server/db/secrets";
import { ALERT_DELIVER_QUEUE } from "@/server/jobs/queues";
import { guardedFetch } from "@/server/http/outbound";
import { signPayload } from "./signature";
import { registerSecret } from "@/server/ops/log";
import { metrics } from "@/server/ops/metrics";
import { dependency } from "@/server/ops/resilience";

const rank = (p: string) => ALERT_PRIORITIES.indexOf(p as (typeof ALERT_PRIORITIES)[number]);

/** Notifications and delivery jobs for newly recorded events. */
export async function fanOut(db: Db, boss: PgBoss | null, eventIds: string[]): Promise<{ deliveries: number }> {
  if (eventIds.length === 0) return { deliveries: 0 };
  const events = await db.select().from(alertEvents).where(inArray(alertEvents.id, eventIds));
  await db.insert(notifications).values(
    events.map((e) => ({
      workspaceId: e.workspaceId,
      kind: "alert" as const,
      title: `${e.symbol} · ${e.type}`,
      body: e.message,
      priority: e.priority,
      eventId: e.id,
    })),
  );
  const created = await channelDeliveries(db, events);
  await queueDeliveries(boss, created);
  return { deliveries: created.length };
}

/**
 * One pending delivery row per event × enabled channel of its workspace that takes its priority
 * (critical always; email only with SMTP configured). Returns the new rows' ids; may run inside
 * the transaction that recorded the events (then queue them after it commits).
 */
export async function channelDeliveries(
  db: DbOrTx,
  events: Pick<AlertEvent, "id" | "workspaceId" | "priority">[],
): Promise<string[]> {
  if (events.length === 0) return [];
  const workspaces = [...new Set(events.map((e) => e.workspaceId))];
  const channels = await db
    .select()
    .from(alertChannels)
    .where(and(inArray(alertChannels.workspaceId, workspaces), eq(alertChannels.enabled, true)));
  const rows: { workspaceId: string; channelId: string; eventId: string }[] = [];
  for (const e of events) {
    for (const c of channels) {
      if (c.workspaceId !== e.workspaceId) continue;
      if (c.kind === "email" && !env().SMTP_URL) continue;
      if (e.priority !== "critical" && rank(e.priority) < rank(c.minPriority)) continue;
      rows.push({ workspaceId: e.workspaceId, channelId: c.id, eventId: e.id });
    }
  }
  if (rows.length === 0) return [];
  const created = await db
    .insert(alertDeliveries)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: alertDeliveries.id });
  return created.map((d) => d.id);
}

/** Delivery jobs for delivery rows (one job each, retried with backoff by the queue). */
export async function queueDeliveries(boss: PgBoss | null, deliveryIds: string[]): Promise<void> {
  if (boss && deliveryIds.length > 0)
    await boss.insert(
      ALERT_DELIVER_QUEUE,
      deliveryIds.map((id) => ({ data: { deliveryId: id } })),
    );
}

/**
 * The JSON a webhook receives. A rule's alert has `type` "alert" and its `rule`; a lifecycle event
 * or a strategy's risk alert has `type` "lifecycle", `rule` null and the `strategy_id`.
 */
export function webhookBody(event: AlertEvent, ruleName: string | null): string {
  return JSON.stringify({
    id: event.id,
    type: event.ruleId ? "alert" : "lifecycle",
    rule: event.ruleId ? { id: event.ruleId, name: ruleName } : null,
    strategy_id: event.strategyId,
    symbol: event.symbol,
    alert_type: event.type,
    priority: event.priority,
    bar_time: event.barTime.toISOString(),
    message: event.message,
    data: event.data,
    created_at: event.createdAt.toISOString(),
  });
}

async function postWebhook(channel: AlertChannel, body: string): Promise<{ status: number }> {
  const secret = channel.secretEnc ? decryptSecret(channel.secretEnc, channel.workspaceId) : "";
  const ts = Math.floor(Date.now() / 1000);
  registerSecret(secret);
  // One breaker and rate limit per endpoint host; the delivery job's own retries (with backoff)
  // are the attempts, so the policy makes one. An open breaker fails the attempt at once.
  return webhookDependency(channel.target).call(async () => {
    // Through the address rules: the resolved address is checked at every delivery, and redirects are not followed.
    const res = await guardedFetch(channel.target, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "StrategyLab-Webhook/1",
        "x-lab-timestamp": String(ts),
        "x-lab-signature": signPayload(secret, ts, body),
      },
      body,
      signal: AbortSignal.timeout(env().LAB_WEBHOOK_TIMEOUT_MS),
      redirect: "manual",
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status >= 300)
      throw Object.assign(new Error(`endpoint answered HTTP ${res.status}`), { status: res.status });
    return { status: res.status };
  });
}

function webhookDependency(target: string) {
  let host = "invalid";
  try {
    host = new URL(target).host;
  } catch {
    // guardedFetch names the problem
  }
  return dependency(`webhook:${host}`, { attempts: 1, timeoutMs: env().LAB_WEBHOOK_TIMEOUT_MS + 1000 });
}

async function sendEmail(channel: AlertChannel, event: AlertEvent): Promise<void> {
  const url = env().SMTP_URL;
  if (!url) throw new Error("SMTP is not configured");
  const { createTransport } = await import("nodemailer");
  await dependency("smtp", { attempts: 1 }).call(async () => {
    await createTransport(url).sendMail({
      from: env().SMTP_FROM,
      to: channel.target,
      subject: `[${event.priority}] ${event.symbol} ${event.type}`,
      text: event.message,
    });
  });
}

/** One delivery attempt. Throws to ask the queue for a retry (with backoff). */
export async function deliver(
  db: Db,
  deliveryId: string,
  meta: { retryCount: number; retryLimit: number },
): Promise<"delivered" | "failed" | "skipped"> {
  const [row] = await db
    .select({ d: alertDeliveries, c: alertChannels, e: alertEvents, ruleName: alertRules.name })
    .from(alertDeliveries)
    .innerJoin(alertChannels, eq(alertChannels.id, alertDeliveries.channelId))
    .innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.eventId))
    .leftJoin(alertRules, eq(alertRules.id, alertEvents.ruleId))
    .where(eq(alertDeliveries.id, deliveryId))
    .limit(1);
  if (!row || row.d.status !== "pending") return "skipped";
  if (!row.c.enabled) {
    await db
      .update(alertDeliveries)
      .set({ status: "failed", lastError: "channel disabled" })
      .where(eq(alertDeliveries.id, deliveryId));
    return "failed";
  }
  try {
    const status =
      row.c.kind === "webhook"
        ? (await postWebhook(row.c, webhookBody(row.e, row.ruleName))).status
        : (await sendEmail(row.c, row.e), null);
    await db
      .update(alertDeliveries)
      .set({
        status: "delivered",
        attempts: sql`${alertDeliveries.attempts} + 1`,
        responseStatus: status,
        deliveredAt: new Date(),
        lastError: null,
      })
      .where(eq(alertDeliveries.id, deliveryId));
    await db.update(alertChannels).set({ consecutiveFailures: 0 }).where(eq(alertChannels.id, row.c.id));
    metrics().alertsDelivered.inc({ channel: row.c.kind });
    return "delivered";
  } catch (err) {
    const message =
      err instanceof Error
        ? err.name === "TimeoutError"
          ? `no answer within ${env().LAB_WEBHOOK_TIMEOUT_MS} ms`
          : err.message
        : String(err);
    const status = (err as { status?: number }).status ?? null;
    const last = meta.retryCount >= meta.retryLimit;
    await db
      .update(alertDeliveries)
      .set({
        attempts: sql`${alertDeliveries.attempts} + 1`,
        responseStatus: status,
        lastError: message.slice(0, 500),
        ...(last ? { status: "failed" as const } : {}),
      })
      .where(eq(alertDeliveries.id, deliveryId));
    await recordChannelFailure(db, row.c, message);
    metrics().alertsDeliveryFailed.inc({ channel: row.c.kind });
    if (!last) throw new Error(`delivery ${deliveryId} failed: ${message}`);
    return "failed";
  }
}

async function recordChannelFailure(db: Db, channel: AlertChannel, reason: string): Promise<void> {
  const max = env().LAB_WEBHOOK_MAX_FAILURES;
  const [c] = await db
    .update(alertChannels)
    .set({ consecutiveFailures: sql`${alertChannels.consecutiveFailures} + 1` })
    .where(eq(alertChannels.id, channel.id))
    .returning({ failures: alertChannels.consecutiveFailures, enabled: alertChannels.enabled });
  if (!c || !c.enabled || c.failures < max) return;
  const why = `Disabled after ${c.failures} consecutive failed deliveries; last error: ${reason}`;
  const disabled = await db
    .update(alertChannels)
    .set({ enabled: false, disabledAt: new Date(), disabledReason: why })
    .where(and(eq(alertChannels.id, channel.id), eq(alertChannels.enabled, true)))
    .returning({ id: alertChannels.id });
  if (disabled.length > 0) {
    await db.insert(notifications).values({
      workspaceId: channel.workspaceId,
      kind: "channel_disabled",
      title: `Channel "${channel.name}" was disabled`,
      body: why,
      priority: "high",
      audience: "admins",
    });
  }
}
