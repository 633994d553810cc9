/** A workspace whose runs breach the error budget tells its admins, once an hour (both databases). */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import type { RunInput } from "@/lib/schemas/runs";
import { notifications, runs } from "@/server/db/schema";
import { notifyIfOverBudget } from "@/server/ops/error-budget";
import { createStrategy } from "@/server/services/strategies";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace } from "../../helpers/fixtures";

const NOW = new Date("2026-06-01T12:00:00Z");

describe.each(DRIVERS)("error budget notifications (%s)", (driver) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(driver);
  });
  afterAll(async () => db.close());

  it("notifies admins when more than 5 % of the last hour's runs failed, not again within the hour, never under the budget", async () => {
    const ws = await seedWorkspace(db.db);
    const owner = ws.users.owner;
    const { strategy } = await createStrategy(
      db.db,
      { actor: { type: "user", id: owner.id, label: owner.email }, workspaceId: ws.workspaceId, role: "owner" },
      { code: EXAMPLES["sma-cross"].source },
    );
    const input = { strategyId: strategy.id, version: 1 } as unknown as RunInput;
    const finished = (workspaceId: string, status: string, secondsAgo: number) =>
      ({
        workspaceId,
        kind: "backtest",
        status,
        input,
        finishedAt: new Date(NOW.getTime() - secondsAgo * 1000),
      }) as typeof runs.$inferInsert;
    // 19 succeeded + 1 failed = 5.0 %: at the budget, not over it.
    await db.db
      .insert(runs)
      .values([
        ...Array.from({ length: 19 }, (_, i) => finished(ws.workspaceId, "succeeded", 60 + i)),
        finished(ws.workspaceId, "failed", 30),
      ]);
    expect(await notifyIfOverBudget(db.db, ws.workspaceId, NOW)).toBe(false);
    await db.db.insert(runs).values(finished(ws.workspaceId, "failed", 20)); // 2 of 21 = 9.5 %
    expect(await notifyIfOverBudget(db.db, ws.workspaceId, NOW)).toBe(true);
    expect(await notifyIfOverBudget(db.db, ws.workspaceId, new Date(NOW.getTime() + 60_000)), "once an hour").toBe(
      false,
    );
    const [note] = await db.db.select().from(notifications).where(eq(notifications.workspaceId, ws.workspaceId));
    expect(note).toMatchObject({ audience: "admins", priority: "high", title: "Error budget exceeded" });
    expect(note.body).toBe(
      "2 of 21 runs finished in the last hour failed (9.5 %, budget 5.0 %). See Operations and the failed runs' errors.",
    );
    // Another workspace with fewer than 10 finished runs is not judged on one failure.
    await db.db
      .insert(runs)
      .values([finished(ws.otherWorkspaceId, "failed", 10), finished(ws.otherWorkspaceId, "succeeded", 10)]);
    expect(await notifyIfOverBudget(db.db, ws.otherWorkspaceId, NOW)).toBe(false);
  });
});
