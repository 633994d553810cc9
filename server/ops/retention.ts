import "server-only";
/**
 * Retention: what the app deletes on its own, and after how long (days; 0 keeps forever).
 *
 * - finished runs (results, trials and progress with them) after LAB_RETAIN_RUNS_DAYS, except
 *   a saved screen's latest run (published reports keep their own snapshot);
 * - notifications and finished alert deliveries after LAB_RETAIN_NOTIFICATIONS_DAYS;
 * - invites expired, used or revoked more than LAB_RETAIN_INVITES_DAYS ago;
 * - expired sessions and sign-in verification tokens at once; worker heartbeats after a day.
 *
 * The audit log is never pruned by the app: it is append-only (a trigger refuses DELETE and
 * TRUNCATE); its retention is the operator's (docs/operations.md).
 */
import { and, inArray, isNotNull, lt, notInArray, or } from "drizzle-orm";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import {
  alertDeliveries,
  invites,
  notifications,
  runs,
  screens,
  sessions,
  verificationTokens,
  workerHeartbeats,
} from "@/server/db/schema";

export interface RetentionPeriods {
  runsDays: number;
  notificationsDays: number;
  invitesDays: number;
}

export interface Pruned {
  runs: number;
  notifications: number;
  deliveries: number;
  invites: number;
  sessions: number;
  verificationTokens: number;
  heartbeats: number;
}

export function retentionPeriods(): RetentionPeriods {
  const e = env();
  return {
    runsDays: e.LAB_RETAIN_RUNS_DAYS,
    notificationsDays: e.LAB_RETAIN_NOTIFICATIONS_DAYS,
    invitesDays: e.LAB_RETAIN_INVITES_DAYS,
  };
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/** Delete what is past its retention period at `now`; returns how many rows of each kind went. */
export async function pruneRetention(
  db: Db,
  now = new Date(),
  periods: RetentionPeriods = retentionPeriods(),
): Promise<Pruned> {
  const out: Pruned = {
    runs: 0,
    notifications: 0,
    deliveries: 0,
    invites: 0,
    sessions: 0,
    verificationTokens: 0,
    heartbeats: 0,
  };
  if (periods.runsDays > 0) {
    const kept = db.select({ id: screens.lastRunId }).from(screens).where(isNotNull(screens.lastRunId));
    const gone = await db
      .delete(runs)
      .where(
        and(
          inArray(runs.status, ["succeeded", "failed", "cancelled"]),
          lt(runs.finishedAt, daysBefore(now, periods.runsDays)),
          notInArray(runs.id, kept),
        ),
      )
      .returning({ id: runs.id });
    out.runs = gone.length;
  }
  if (periods.notificationsDays > 0) {
    const cutoff = daysBefore(now, periods.notificationsDays);
    out.notifications = (
      await db.delete(notifications).where(lt(notifications.createdAt, cutoff)).returning({ id: notifications.id })
    ).length;
    out.deliveries = (
      await db
        .delete(alertDeliveries)
        .where(and(inArray(alertDeliveries.status, ["delivered", "failed"]), lt(alertDeliveries.createdAt, cutoff)))
        .returning({ id: alertDeliveries.id })
    ).length;
  }
  if (periods.invitesDays > 0) {
    const cutoff = daysBefore(now, periods.invitesDays);
    out.invites = (
      await db
        .delete(invites)
        .where(or(lt(invites.expiresAt, cutoff), lt(invites.usedAt, cutoff), lt(invites.revokedAt, cutoff)))
        .returning({ id: invites.id })
    ).length;
  }
  out.sessions = (
    await db.delete(sessions).where(lt(sessions.expires, now)).returning({ token: sessions.sessionToken })
  ).length;
  out.verificationTokens = (
    await db
      .delete(verificationTokens)
      .where(lt(verificationTokens.expires, now))
      .returning({ token: verificationTokens.token })
  ).length;
  out.heartbeats = (
    await db
      .delete(workerHeartbeats)
      .where(lt(workerHeartbeats.seenAt, daysBefore(now, 1)))
      .returning({ id: workerHeartbeats.id })
  ).length;
  return out;
}
