/** The Operations page's figures are one workspace's own (both databases). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import type { RunInput } from "@/lib/schemas/runs";
import { runs } from "@/server/db/schema";
import { workspaceOperations } from "@/server/ops/workspace-operations";
import { createStrategy } from "@/server/services/strategies";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace } from "../../helpers/fixtures";

const NOW = new Date("2026-06-01T12:00:00Z");
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);

describe.each(DRIVERS)("workspace operations (%s)", (driver) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(driver);
  });
  afterAll(async () => db.close());

  it("counts only the workspace's own runs, queue and strategies", async () => {
    const ws = await seedWorkspace(db.db);
    const owner = ws.users.owner;
    const { strategy } = await createStrategy(
      db.db,
      { actor: { type: "user", id: owner.id, label: owner.email }, workspaceId: ws.workspaceId, role: "owner" },
      { code: EXAMPLES["sma-cross"].source },
    );
    const input = { strategyId: strategy.id, version: 1 } as unknown as RunInput;
    const run = (
      workspaceId: string,
      status: string,
      createdS: number,
      startedS: number | null,
      finishedS: number | null,
    ) =>
      ({
        workspaceId,
        kind: "backtest",
        status,
        input,
        createdAt: ago(createdS),
        startedAt: startedS === null ? null : ago(startedS),
        finishedAt: finishedS === null ? null : ago(finishedS),
      }) as typeof runs.$inferInsert;
    await db.db.insert(runs).values([
      run(ws.workspaceId, "succeeded", 600, 590, 580), // 10 s
      run(ws.workspaceId, "succeeded", 900, 880, 850), // 30 s
      run(ws.workspaceId, "succeeded", 1200, 1190, 1170), // 20 s
      run(ws.workspaceId, "failed", 300, 290, 280),
      run(ws.workspaceId, "queued", 120, null, null),
      run(ws.workspaceId, "running", 60, 50, null),
      run(ws.workspaceId, "failed", 200_000, 199_990, 199_980), // 2 days ago: outside both windows
      run(ws.otherWorkspaceId, "failed", 100, 90, 80),
      run(ws.otherWorkspaceId, "queued", 5_000, null, null),
    ]);
    const ops = await workspaceOperations(db.db, ws.workspaceId, NOW);
    expect(ops.lastHour).toEqual({ finished: 4, failed: 1, failedShare: 0.25, budget: 0.05 });
    expect(ops.queue).toEqual({ waiting: 1, running: 1, oldestWaitingSeconds: 120 });
    expect(ops.runs24h).toEqual([
      { status: "failed", kind: "backtest", count: 1 },
      { status: "queued", kind: "backtest", count: 1 },
      { status: "running", kind: "backtest", count: 1 },
      { status: "succeeded", kind: "backtest", count: 3 },
    ]);
    // Durations 10, 20, 30 s: median 20; p95 by linear interpolation = 20 + 0.9 × 10 = 29.
    expect(ops.durations24h).toEqual([{ kind: "backtest", count: 3, medianSeconds: 20, p95Seconds: 29 }]);
    expect(ops.strategiesByState).toEqual({ CANDIDATE: 1, SHADOW: 0, LIVE: 0, DISABLED: 0 });
    expect(ops.deliveries24h).toEqual({ delivered: 0, failed: 0, pending: 0 });

    const other = await workspaceOperations(db.db, ws.otherWorkspaceId, NOW);
    expect(other.lastHour.finished).toBe(1);
    expect(other.queue).toEqual({ waiting: 1, running: 0, oldestWaitingSeconds: 5000 });
    expect(other.strategiesByState.CANDIDATE).toBe(0);
  });
});
