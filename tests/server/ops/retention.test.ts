/** Retention pruning: only what is past its period goes; the audit log is never pruned (both databases). */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import type { RunInput } from "@/lib/schemas/runs";
import { auditLog, invites, notifications, runs, screens, sessions, workerHeartbeats } from "@/server/db/schema";
import { pruneRetention } from "@/server/ops/retention";
import { createStrategy } from "@/server/services/strategies";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace } from "../../helpers/fixtures";

const NOW = new Date("2026-06-01T00:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

describe.each(DRIVERS)("retention (%s)", (driver) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(driver);
  });
  afterAll(async () => db.close());

  it("prunes finished runs, notifications, invites, sessions and heartbeats past their periods, keeps the rest and the audit log", async () => {
    const ws = await seedWorkspace(db.db);
    const owner = ws.users.owner;
    const { strategy } = await createStrategy(
      db.db,
      { actor: { type: "user", id: owner.id, label: owner.email }, workspaceId: ws.workspaceId, role: "owner" },
      { code: EXAMPLES["sma-cross"].source },
    );
    const input = { strategyId: strategy.id, version: 1 } as unknown as RunInput;
    const run = (status: string, finished: Date | null) =>
      ({
        workspaceId: ws.workspaceId,
        kind: "backtest",
        status,
        input,
        finishedAt: finished,
      }) as typeof runs.$inferInsert;
    const [oldDone, oldFailed, recent, running, screenLatest] = await db.db
      .insert(runs)
      .values([
        run("succeeded", daysAgo(200)),
        run("failed", daysAgo(181)),
        run("succeeded", daysAgo(179)),
        run("running", null),
        run("succeeded", daysAgo(400)),
      ])
      .returning({ id: runs.id });
    await db.db
      .insert(screens)
      .values({ workspaceId: ws.workspaceId, name: "s", strategyId: strategy.id, lastRunId: screenLatest.id });
    await db.db.insert(notifications).values([
      { workspaceId: ws.workspaceId, kind: "run", title: "old", createdAt: daysAgo(91) },
      { workspaceId: ws.workspaceId, kind: "run", title: "new", createdAt: daysAgo(89) },
    ]);
    const invite = (hash: string, expires: Date, used: Date | null = null) => ({
      workspaceId: ws.workspaceId,
      role: "member" as const,
      tokenHash: hash,
      expiresAt: expires,
      usedAt: used,
    });
    await db.db
      .insert(invites)
      .values([
        invite("a", daysAgo(31)),
        invite("b", daysAgo(29)),
        invite("c", NOW, daysAgo(40)),
        invite("d", new Date(NOW.getTime() + 86_400_000)),
      ]);
    await db.db.insert(sessions).values([
      { sessionToken: "expired", userId: owner.id, expires: daysAgo(1) },
      { sessionToken: "live", userId: owner.id, expires: new Date(NOW.getTime() + 3600_000) },
    ]);
    await db.db.insert(workerHeartbeats).values({
      id: "gone",
      role: "worker",
      host: "h",
      pid: 1,
      version: "0",
      startedAt: daysAgo(3),
      seenAt: daysAgo(2),
    });
    // Old audit rows stay whatever their age.
    await db.db.execute(
      sql`insert into audit_log (action, actor_type, created_at) values ('ancient.thing', 'system', ${daysAgo(3650).toISOString()})`,
    );
    const auditBefore = (await db.db.select().from(auditLog)).length;

    const pruned = await pruneRetention(db.db, NOW, { runsDays: 180, notificationsDays: 90, invitesDays: 30 });
    expect(pruned).toEqual({
      runs: 2,
      notifications: 1,
      deliveries: 0,
      invites: 2,
      sessions: 1,
      verificationTokens: 0,
      heartbeats: 1,
    });
    const left = new Set((await db.db.select({ id: runs.id }).from(runs)).map((r) => r.id));
    expect(left.has(oldDone.id) || left.has(oldFailed.id)).toBe(false);
    expect(
      [recent.id, running.id, screenLatest.id].every((id) => left.has(id)),
      "recent, running and a screen's latest run stay",
    ).toBe(true);
    expect((await db.db.select().from(notifications)).map((n) => n.title)).toEqual(["new"]);
    expect((await db.db.select({ h: invites.tokenHash }).from(invites)).map((i) => i.h).sort()).toEqual(["b", "d"]);
    expect((await db.db.select().from(sessions)).map((s) => s.sessionToken)).toEqual(["live"]);
    expect((await db.db.select().from(auditLog)).length, "the audit log is never pruned").toBe(auditBefore);
    expect((await db.db.select().from(auditLog).where(eq(auditLog.action, "ancient.thing"))).length).toBe(1);

    // 0 keeps forever.
    const none = await pruneRetention(db.db, new Date(NOW.getTime() + 3650 * 86_400_000), {
      runsDays: 0,
      notificationsDays: 0,
      invitesDays: 0,
    });
    expect(none.runs + none.notifications + none.invites).toBe(0);
  });
});
