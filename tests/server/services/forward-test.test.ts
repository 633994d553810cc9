/**
 * The SHADOW forward test on the real database and the real demo feed: entering SHADOW starts a
 * paper forward test on the symbols of the strategy's backtest; bars appended afterwards (and only
 * those) drive it; its return is compared with the backtest's expectation scaled to the same
 * number of bars (hand-computed here); a forward drawdown beyond the workspace's limit disables
 * the strategy on the hourly decision, with the criterion and figures as the decision's inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { appendDemoBar } from "@/server/alerts/demo-feed";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { alertRules, lifecycleDecisions, runs, strategies } from "@/server/db/schema";
import { getForwardTest } from "@/server/services/forward";
import { applyLifecycleEvent, forwardCheck, newestBarMs, setWorkspaceGates } from "@/server/services/lifecycle";
import { createStrategy } from "@/server/services/strategies";
import { localRunner } from "@/tests/helpers/local-runner";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";

const ALWAYS_LONG = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "Always long",
  signals(bars) {
    const n = bars.close.length;
    return { entries: new Uint8Array(n).fill(1), exits: new Uint8Array(n) };
  },
});
`;

for (const driver of DRIVERS)
  describe(`forward test (${driver})`, () => {
    let t: TestDatabase;
    let s: SeededWorkspace;
    let id = "";
    let symbol = "";
    let start = 0;
    const owner = () => ({
      actor: { type: "user" as const, id: s.users.owner.id, label: s.users.owner.email },
      workspaceId: s.workspaceId,
      role: "owner" as const,
    });

    beforeAll(async () => {
      t = await createTestDatabase(driver);
      s = await seedWorkspace(t.db);
      await ensureDemoUniverse(t.db, { symbols: 3, years: 2 });
      symbol = (await getUniverseSymbols(t.db, "demo-3"))[0];
      id = (await createStrategy(t.db, owner(), { code: ALWAYS_LONG })).strategy.id;
      // Its backtest: +10 % over 252 bars, PF 2, WR 60 % on 20 trades.
      await t.db.insert(runs).values({
        workspaceId: s.workspaceId,
        kind: "backtest",
        status: "succeeded",
        input: { kind: "backtest", strategyId: id, symbols: [symbol], version: 1 } as never,
        result: {
          performance_metrics: {
            profit_factor: 2,
            win_rate_pct: 60,
            num_trades: 20,
            total_return_pct: 10,
            num_bars: 252,
          },
          grade: { score: 75 },
        } as never,
        finishedAt: new Date(),
      });
    }, 120_000);
    afterAll(async () => t?.close());

    it("starts at SHADOW and runs on the bars that arrived afterwards only, against the backtest's expectation", async () => {
      await applyLifecycleEvent(t.db, owner(), id, "start_shadow", { now: new Date(), approve: false });
      start = (await newestBarMs(t.db, s.workspaceId)) ?? 0;
      let ft = await getForwardTest(t.db, id);
      expect(ft).toMatchObject({ symbols: [symbol], startBarMs: start });
      expect(ft?.expectedLogReturnPerBar).toBeCloseTo(Math.log(1.1) / 252, 12);
      await forwardCheck(t.db, { now: new Date(), workspaceId: s.workspaceId, runner: localRunner, decide: false });
      ft = await getForwardTest(t.db, id);
      expect(ft?.equity).toEqual([]);
      expect(ft?.returnPct).toBe(0);
      for (let k = 0; k < 30; k++) await appendDemoBar(t.db);
      await forwardCheck(t.db, { now: new Date(), workspaceId: s.workspaceId, runner: localRunner, decide: false });
      ft = await getForwardTest(t.db, id);
      expect(ft?.lastError).toBeNull();
      expect(ft?.times).toHaveLength(30);
      expect(ft?.times.every((x) => x > start)).toBe(true);
      expect(ft?.equity[0]).toBe(10_000);
      expect(ft?.returnPct).toBeCloseTo((ft!.equity[29] / 10_000 - 1) * 100, 9);
      expect(ft?.expectedReturnPct).toBeCloseTo((Math.pow(1.1, 30 / 252) - 1) * 100, 9);
      const [row] = await t.db.select().from(strategies).where(eq(strategies.id, id));
      expect(row.forwardLastBarMs).toBe(ft?.times[29]);
    });

    it("approved for LIVE, it gets live signal alerts on its forward-test symbols", async () => {
      await applyLifecycleEvent(t.db, owner(), id, "promote", { now: new Date(), approve: true });
      const rules = await t.db.select().from(alertRules).where(eq(alertRules.strategyId, id));
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({ symbols: [symbol], enabled: true, trigger: "bar" });
    });

    it("a forward drawdown beyond the workspace's limit disables the strategy on the hourly decision", async () => {
      const ft = await getForwardTest(t.db, id);
      const dd = -(ft?.maxDrawdownPct ?? 0);
      expect(dd).toBeGreaterThan(0); // always long over 30 bars of a random walk
      await setWorkspaceGates(t.db, owner(), { disableBeyondDrawdownPct: dd + 0.5 });
      expect(
        (await forwardCheck(t.db, { now: new Date(), workspaceId: s.workspaceId, runner: localRunner })).disabled,
      ).toEqual([]);
      await setWorkspaceGates(t.db, owner(), { disableBeyondDrawdownPct: Math.max(0, dd - 0.01) });
      expect(
        (await forwardCheck(t.db, { now: new Date(), workspaceId: s.workspaceId, runner: localRunner })).disabled,
      ).toEqual([id]);
      const [d] = await t.db
        .select()
        .from(lifecycleDecisions)
        .where(and(eq(lifecycleDecisions.strategyId, id), eq(lifecycleDecisions.toState, "DISABLED")));
      expect(d.inputs).toMatchObject({ criterion: "forward_drawdown", forward_drawdown_pct: ft?.maxDrawdownPct });
      expect(d.reason).toContain("forward drawdown");
      expect((await t.db.select().from(alertRules).where(eq(alertRules.strategyId, id)))[0].enabled).toBe(false);
    });
  });
