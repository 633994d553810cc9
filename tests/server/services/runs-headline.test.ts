/** The runs list carries a finished backtest's return and Sharpe (and nothing for other runs). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runs, type RunInput, type RunResult } from "@/server/db/schema";
import { listRuns } from "@/server/services/runs";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

describe("runs list headline figures", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    s = await seedWorkspace(t.db);
  });
  afterAll(async () => t?.close());

  it("has total return and Sharpe for succeeded backtests only", async () => {
    const input = {
      strategyId: "00000000-0000-4000-8000-000000000000",
      universe: "demo-50",
      params: {},
    } as unknown as RunInput;
    const result = { performance_metrics: { total_return_pct: 276.2345, sharpe: 1.4142 } } as unknown as RunResult;
    const rows = await t.db
      .insert(runs)
      .values([
        {
          workspaceId: s.workspaceId,
          kind: "backtest",
          status: "succeeded",
          input,
          result,
          finishedAt: new Date(),
          createdAt: new Date(Date.UTC(2026, 0, 3)),
        },
        {
          workspaceId: s.workspaceId,
          kind: "backtest",
          status: "failed",
          input,
          error: "boom",
          finishedAt: new Date(),
          createdAt: new Date(Date.UTC(2026, 0, 2)),
        },
        {
          workspaceId: s.workspaceId,
          kind: "screen",
          status: "succeeded",
          input,
          result: { ranked_results: [] } as unknown as RunResult,
          finishedAt: new Date(),
          createdAt: new Date(Date.UTC(2026, 0, 1)),
        },
      ])
      .returning({ id: runs.id });
    const list = await listRuns(t.db, s.workspaceId, { limit: 10 });
    const byId = new Map(list.rows.map((r) => [r.id, r.headline]));
    expect(byId.get(rows[0].id)).toEqual({ totalReturnPct: 276.2345, sharpe: 1.4142 });
    expect(byId.get(rows[1].id), "a failed backtest has no figures").toBeNull();
    expect(byId.get(rows[2].id), "a screen has no backtest figures").toBeNull();
  });
});
