/** Readiness: each part is checked for real, and a failing part is named (both databases). */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgBoss } from "pg-boss";
import { bossTargetFor, createBoss } from "@/server/jobs/boss";
import { beat } from "@/server/ops/heartbeat";
import { readiness, shippedMigrations } from "@/server/ops/readiness";
import { workerHeartbeats } from "@/server/db/schema";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";

describe.each(DRIVERS)("readiness (%s)", (driver) => {
  let db: TestDatabase;
  let boss: PgBoss | null = null;
  beforeAll(async () => {
    db = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    await db.close();
  });

  it("names the queue and workers as failing before any worker ran, then turns ready", async () => {
    const before = await readiness(db.db);
    expect(before.ready).toBe(false);
    expect(before.failing).toEqual(["queue", "workers"]);
    expect(before.checks.database.ok).toBe(true);
    expect(before.checks.migrations.detail).toContain(
      `${shippedMigrations().count} of ${shippedMigrations().count} applied`,
    );
    expect(before.version).toBe("0.1.0");
    expect(before.buildId.length).toBeGreaterThan(0);

    boss = await createBoss(bossTargetFor(db), { schedule: false });
    const noWorker = await readiness(db.db);
    expect(noWorker.failing).toEqual(["workers"]);
    expect(noWorker.checks.workers.detail).toMatch(/no worker seen in the last 30 s/);

    // A worker that beat long ago does not count; one that beat now does.
    await db.db.insert(workerHeartbeats).values({
      id: "old",
      role: "worker",
      host: "h",
      pid: 1,
      version: "0.1.0",
      startedAt: new Date(0),
      seenAt: new Date(Date.now() - 120_000),
    });
    expect((await readiness(db.db)).failing).toEqual(["workers"]);
    await beat(db.db, "now", "worker", new Date());
    const ready = await readiness(db.db);
    expect(ready.ready, JSON.stringify(ready.checks)).toBe(true);
    expect(ready.checks.workers.detail).toBe("1 worker seen in the last 30 s");
  });

  it("names migrations when the database lacks one this build ships", async () => {
    await db.db.execute(
      sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)`,
    );
    const r = await readiness(db.db);
    expect(r.failing).toEqual(["migrations"]);
    const n = shippedMigrations().count;
    expect(r.checks.migrations.detail).toBe(
      `${n - 1} of ${n} migrations applied (newest shipped: ${shippedMigrations().latestTag}); run npm run db:migrate`,
    );
  });
});
