/** Sweeps return exactly what a full backtest of the same combo returns. */
import { describe, expect, it } from "vitest";
import { simulate } from "@/lib/engine/simulate";
import { buildReport } from "@/lib/engine/report";
import { crossoverGrid, runSweep, smaCrossSweep, type SmaCrossParams } from "@/lib/engine/sweep";
import { createSweepPool } from "@/server/compute/sweep-pool";
import type { SimConfigInput } from "@/lib/engine/config";
import { loadGoog } from "./goog-fixture";

const goog = loadGoog();

function fullBacktest(p: SmaCrossParams, config: SimConfigInput) {
  const cache = smaCrossSweep.prepare(goog, [p]);
  const n = goog.close.length;
  const buf = {
    entries: new Uint8Array(n),
    exits: new Uint8Array(n),
    shortEntries: p.short ? new Uint8Array(n) : null,
    shortExits: p.short ? new Uint8Array(n) : null,
  };
  smaCrossSweep.fill(cache, p, buf);
  const res = simulate(
    [goog],
    [
      {
        entries: buf.entries,
        exits: buf.exits,
        shortEntries: buf.shortEntries ?? undefined,
        shortExits: buf.shortExits ?? undefined,
      },
    ],
    config,
  );
  return buildReport(res);
}

const combos = [...crossoverGrid(2, 100, false), ...crossoverGrid(2, 100, true)].filter((_, i) => i % 97 === 0);

describe.each<[string, SimConfigInput]>([
  ["default costs", { costs: { commissionRate: 0.002 } }],
  [
    "slippage, per-share, min, half sizing",
    {
      costs: { commissionRate: 0.001, commissionPerShare: 0.01, commissionMin: 1, slippageBps: 5 },
      sizing: { fraction: 0.5 },
    },
  ],
  [
    "close fills, entry-adjusted, fractional",
    {
      fill: "close",
      costs: { commissionRate: 0.002, commissionModel: "entry-price-adjusted" },
      sizing: { fractional: true },
    },
  ],
  [
    "stops (falls back to simulate)",
    { costs: { commissionRate: 0.002 }, stops: { stopLossPct: 0.05, trailingStopPct: 0.1 } },
  ],
])("runSweep vs simulate + buildReport: %s", (_name, config) => {
  const fused = runSweep(goog, smaCrossSweep, combos, config);
  const generic = runSweep(goog, { ...smaCrossSweep, runFused: undefined }, combos, config);
  it("agrees on every combo (equity, trades, max drawdown exactly; Sharpe to 1e-9)", () => {
    combos.forEach((p, i) => {
      const rep = fullBacktest(p, config);
      for (const r of [fused, generic]) {
        expect(r.finalEquity[i], `${p.fast}/${p.slow}/${p.short}`).toBe(rep.final_equity);
        expect(r.numTrades[i]).toBe(rep.num_trades);
        expect(r.maxDrawdownPct[i]).toBe(rep.max_drawdown_pct);
        expect(r.totalReturnPct[i]).toBeCloseTo(rep.total_return_pct ?? NaN, 9);
        expect(Math.abs(r.sharpe[i] - (rep.sharpe ?? NaN))).toBeLessThan(1e-9 * Math.max(1, Math.abs(rep.sharpe ?? 0)));
      }
    });
  });
});

describe("sweep pool (worker threads)", () => {
  it("returns the same numbers as the single-thread sweep", async () => {
    const pool = createSweepPool({ threads: 2, execArgv: ["--import", "tsx"] });
    try {
      const all = crossoverGrid(2, 40, true);
      const config = { costs: { commissionRate: 0.002 } };
      // The threads prepare in parts; GOOG crosses more often than the first plan's estimate, so the
      // first job is planned again with the room its join asked for, and a repeat uses that room.
      const par = await pool.run({ strategy: "sma-cross", series: goog, combos: all, config });
      expect(par.timings.replans).toBe(1);
      const one = runSweep(goog, smaCrossSweep, all, config);
      expect(Array.from(par.finalEquity)).toEqual(Array.from(one.finalEquity));
      expect(Array.from(par.numTrades)).toEqual(Array.from(one.numTrades));
      expect(Array.from(par.sharpe)).toEqual(Array.from(one.sharpe));
      expect(Array.from(par.maxDrawdownPct)).toEqual(Array.from(one.maxDrawdownPct));
      // Repeated job on the same combo list (sent by id only), then other lists, then the first again.
      const again = await pool.run({ strategy: "sma-cross", series: goog, combos: all, config });
      expect(again.timings.replans).toBe(0);
      expect(Array.from(again.finalEquity)).toEqual(Array.from(one.finalEquity));
      expect(again.timings.done.reduce((a, b) => a + b, 0)).toBe(all.length);
      for (let k = 0; k < 5; k++) {
        const other = crossoverGrid(3 + k, 30, k % 2 === 0);
        const r = await pool.run({ strategy: "sma-cross", series: goog, combos: other, config });
        expect(Array.from(r.numTrades)).toEqual(Array.from(runSweep(goog, smaCrossSweep, other, config).numTrades));
      }
      const third = await pool.run({ strategy: "sma-cross", series: goog, combos: all, config });
      expect(Array.from(third.sharpe)).toEqual(Array.from(one.sharpe));
      await expect(pool.run({ strategy: "nope", series: goog, combos: all, config })).rejects.toThrow(
        /unknown sweep strategy/,
      );
      await expect(
        pool.run({ strategy: "sma-cross", series: goog, combos: [{ fast: 0, slow: 5, short: false }], config }),
      ).rejects.toThrow(/window must be an integer >= 1/);
    } finally {
      await pool.close();
    }
  });

  it("splits the set-up over more threads than cores and still matches, for configs the kernel does not cover too", async () => {
    const pool = createSweepPool({ threads: 3, execArgv: ["--import", "tsx"] });
    try {
      const all = crossoverGrid(5, 30, false).filter((_, i) => i % 3 === 0);
      for (const config of [
        { fill: "close", costs: { commissionRate: 0.001, slippageBps: 3 }, sizing: { fraction: 0.5 } },
        { costs: { commissionRate: 0.002 }, stops: { stopLossPct: 0.05 } },
      ] satisfies SimConfigInput[]) {
        const par = await pool.run({ strategy: "sma-cross", series: goog, combos: all, config });
        const one = runSweep(goog, smaCrossSweep, all, config);
        expect(Array.from(par.finalEquity)).toEqual(Array.from(one.finalEquity));
        expect(Array.from(par.maxDrawdownPct)).toEqual(Array.from(one.maxDrawdownPct));
        expect(Array.from(par.sharpe)).toEqual(Array.from(one.sharpe));
      }
    } finally {
      await pool.close();
    }
  });
});
