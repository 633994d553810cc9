/** Database-backed gauges: strategies by state, fitness by state, database size (both databases). */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import type { RunResult } from "@/lib/runs/kinds";
import type { RunInput } from "@/lib/schemas/runs";
import { runs, strategies } from "@/server/db/schema";
import { metrics } from "@/server/ops/metrics";
import { refreshDatabaseMetrics } from "@/server/ops/metrics-refresh";
import { createStrategy } from "@/server/services/strategies";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace } from "../../helpers/fixtures";

describe.each(DRIVERS)("database-backed gauges (%s)", (driver) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(driver);
  });
  afterAll(async () => db.close());

  it("reports strategies by state and the mean grade of each strategy's latest backtest", async () => {
    const ws = await seedWorkspace(db.db);
    const owner = ws.users.owner;
    const caller = {
      actor: { type: "user" as const, id: owner.id, label: owner.email },
      workspaceId: ws.workspaceId,
      role: "owner" as const,
    };
    const a = (await createStrategy(db.db, caller, { code: EXAMPLES["sma-cross"].source })).strategy.id;
    const b = (await createStrategy(db.db, caller, { code: EXAMPLES.breakout.source })).strategy.id;
    const c = (await createStrategy(db.db, caller, { code: EXAMPLES["gap-up"].source })).strategy.id;
    await db.db.update(strategies).set({ state: "LIVE" }).where(eq(strategies.id, c));
    const backtest = (strategyId: string, score: number, finished: string) =>
      ({
        workspaceId: ws.workspaceId,
        kind: "backtest",
        status: "succeeded",
        input: { strategyId, version: 1 } as unknown as RunInput,
        result: { grade: { score } } as unknown as RunResult,
        finishedAt: new Date(finished),
      }) as typeof runs.$inferInsert;
    await db.db.insert(runs).values([
      backtest(a, 30, "2026-01-01T00:00:00Z"),
      backtest(a, 70, "2026-01-02T00:00:00Z"), // a's latest
      backtest(b, 50, "2026-01-01T00:00:00Z"),
      backtest(c, 90, "2026-01-03T00:00:00Z"),
      { ...backtest(c, 10, "2026-01-04T00:00:00Z"), status: "failed" }, // failed runs do not count
    ]);
    await refreshDatabaseMetrics(db);
    const m = metrics();
    const byState = async (g: typeof m.strategiesByState) =>
      Object.fromEntries((await g.get()).values.map((v) => [v.labels.state, v.value]));
    expect(await byState(m.strategiesByState)).toEqual({ CANDIDATE: 2, SHADOW: 0, LIVE: 1, DISABLED: 0 });
    // CANDIDATE: (70 + 50) / 2 = 60; LIVE: 90.
    expect(await byState(m.strategyFitness)).toEqual({ CANDIDATE: 60, LIVE: 90 });
    expect((await m.dbSize.get()).values[0]?.value).toBeGreaterThan(1_000_000);
    expect((await m.metricsRefreshed.get()).values[0]?.value).toBeGreaterThan(0);
  });
});
