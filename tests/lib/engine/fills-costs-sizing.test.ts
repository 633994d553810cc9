/** Fill timing, costs and sizing on tiny series; every expected number is worked out in the test. */
import { describe, expect, it } from "vitest";
import { simulate } from "@/lib/engine/simulate";
import { bars, flat, sig } from "./helpers";

describe("fill timing", () => {
  // open / close differ on every bar so the fill price shows which one was used.
  const s = bars("X", [
    [10, 10, 10, 10],
    [11, 12, 11, 12],
    [13, 14, 13, 14],
    [15, 16, 15, 16],
  ]);
  it("fills a bar-0 signal at bar 1's open by default", () => {
    const r = simulate([s], [sig(4, { entries: [0], exits: [2] })], { initialCash: 1000 });
    const t = r.trades[0];
    // N = floor(1000 / 11) = 90; exit at bar 3's open 15: pnl = 90 × (15 - 11) = 360.
    expect(t).toMatchObject({
      entryBar: 1,
      exitBar: 3,
      entryPrice: 11,
      exitPrice: 15,
      size: 90,
      pnl: 360,
      barsHeld: 2,
      exitReason: "signal",
    });
    expect(r.equity[0]).toBe(1000);
    expect(r.equity[1]).toBe(1000 - 990 + 90 * 12); // cash 10 + 90 × close 12
  });
  it("fills at the same bar's close with fill: close", () => {
    const r = simulate([s], [sig(4, { entries: [0], exits: [2] })], { initialCash: 1000, fill: "close" });
    // N = floor(1000 / 10) = 100 at close 10; exit at close 14: pnl 400.
    expect(r.trades[0]).toMatchObject({ entryBar: 0, exitBar: 2, entryPrice: 10, exitPrice: 14, size: 100, pnl: 400 });
  });
});

describe("costs", () => {
  const s = flat("X", [100, 100, 110, 110]);
  it("charges commissionRate on both legs and sizes N·P·(1+rate) <= cash", () => {
    const r = simulate([s], [sig(4, { entries: [0], exits: [1] })], {
      initialCash: 10_000,
      costs: { commissionRate: 0.01 },
    });
    const t = r.trades[0];
    // N = floor(10000 / 101) = 99; entry fee 99 × 100 × 1 % = 99; exit at 110: fee 108.9.
    expect(t.size).toBe(99);
    expect(t.entryCommission).toBeCloseTo(99, 10);
    expect(t.exitCommission).toBeCloseTo(108.9, 10);
    expect(t.pnl).toBeCloseTo(99 * 10 - 99 - 108.9, 9);
    expect(t.returnPct).toBeCloseTo((t.pnl / (99 * 100)) * 100, 12);
    expect(r.equity[3]).toBeCloseTo(10_000 + t.pnl, 9);
  });
  it("applies per-share commission with a minimum", () => {
    const r = simulate([s], [sig(4, { entries: [0], exits: [1] })], {
      initialCash: 1000,
      costs: { commissionPerShare: 0.01, commissionMin: 5 },
    });
    // Budget 1000: N·100 + max(5, 0.01·N) <= 1000 → N = 9 (900 + 5); exit fee also the 5 minimum.
    const t = r.trades[0];
    expect(t.size).toBe(9);
    expect(t.entryCommission).toBe(5);
    expect(t.exitCommission).toBe(5);
    expect(t.pnl).toBeCloseTo(9 * 10 - 10, 10);
  });
  it("slips buys up and sells down by slippageBps", () => {
    const r = simulate([s], [sig(4, { entries: [0], exits: [1] })], { initialCash: 1000, costs: { slippageBps: 100 } });
    // Buy at 100 × 1.01 = 101 → N = floor(1000 / 101) = 9; sell at 110 × 0.99 = 108.9.
    expect(r.trades[0]).toMatchObject({ size: 9, entryPrice: 101 });
    expect(r.trades[0].exitPrice).toBeCloseTo(108.9, 10);
  });
  it("folds the rate into the entry price under entry-price-adjusted", () => {
    const r = simulate([s], [sig(4, { entries: [0], exits: [1] })], {
      initialCash: 1000,
      costs: { commissionRate: 0.01, commissionModel: "entry-price-adjusted" },
    });
    // Entry 100 × 1.01 = 101, N = floor(1000 / 101) = 9, exit at raw 110, no exit fee.
    expect(r.trades[0]).toMatchObject({
      size: 9,
      entryPrice: 101,
      exitPrice: 110,
      entryCommission: 0,
      exitCommission: 0,
    });
    expect(r.trades[0].pnl).toBeCloseTo(9 * 9, 10);
  });
});

describe("sizing", () => {
  const s = flat("X", [100, 100, 100, 100]);
  const one = (sizing: object) =>
    simulate([s], [sig(4, { entries: [0] })], { initialCash: 1000, sizing }).openPositions[0]?.size;
  it("fraction of equity", () => expect(one({ fraction: 0.55 })).toBe(5)); // floor(550 / 100)
  it("fixed cash", () => expect(one({ mode: "cash", cashPerTrade: 250 })).toBe(2));
  it("fixed units, capped by cash", () => {
    expect(one({ mode: "units", units: 3 })).toBe(3);
    expect(one({ mode: "units", units: 30 })).toBe(10);
  });
  it("fractional units", () => expect(one({ fractional: true, fraction: 0.555 })).toBeCloseTo(5.55, 12));
  it("volatility target scales by target / realized vol", () => {
    // Log returns alternate ±ln(1.1): sample std over 4 returns = ln(1.1)·sqrt(4/3); annualized × sqrt(252).
    const p = [100, 110, 100, 110, 100, 100, 100];
    const v = simulate([flat("V", p)], [sig(7, { entries: [4] })], {
      initialCash: 100_000,
      sizing: { mode: "vol-target", targetVolAnnual: 0.15, volLookbackBars: 4, fractional: true },
    });
    const vol = Math.log(1.1) * Math.sqrt(4 / 3) * Math.sqrt(252);
    expect(v.openPositions[0].size).toBeCloseTo((100_000 * (0.15 / vol)) / 100, 8);
  });
  it("sizes a short like a long: N·P·(1+rate) <= cash", () => {
    const r = simulate([flat("S", [100, 100, 90, 90])], [sig(4, { shortEntries: [0], shortExits: [1] })], {
      initialCash: 1000,
      costs: { commissionRate: 0.01 },
    });
    const t = r.trades[0];
    // N = floor(1000 / 101) = 9 short at 100, cover at 90: 9 × 10 - 9 - 8.1.
    expect(t).toMatchObject({ side: "short", size: 9, entryPrice: 100, exitPrice: 90 });
    expect(t.pnl).toBeCloseTo(90 - 9 - 8.1, 10);
    expect(r.equity[3]).toBeCloseTo(1000 + t.pnl, 10);
  });
});

describe("stop-and-reverse", () => {
  it("closes and opens at the same next open, commission on both legs", () => {
    const s = flat("R", [100, 100, 120, 120, 120]);
    const r = simulate([s], [sig(5, { entries: [0], shortEntries: [1] })], {
      initialCash: 1000,
      costs: { commissionRate: 0.01 },
    });
    // Long N = floor(1000 / 101) = 9 at 100 (fee 9). Bar 2 open 120: sell 9 (fee 10.8) → cash = 1000 - 909 + 1080 - 10.8 = 1160.2.
    // Short N = floor(1160.2 / 121.2) = 9 at 120 (fee 10.8).
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ side: "long", exitBar: 2, exitPrice: 120, exitReason: "reverse" });
    const o = r.openPositions[0];
    expect(o).toMatchObject({ side: "short", entryBar: 2, entryPrice: 120, size: 9 });
    expect(o.entryCommission).toBeCloseTo(10.8, 10);
    expect(r.cash[2]).toBeCloseTo(1160.2 + 9 * 120 - 10.8, 9);
  });
});

describe("end of data", () => {
  const s = flat("E", [100, 100, 105, 110]);
  it("marks an open position to the last close and leaves it out of trades", () => {
    const r = simulate([s], [sig(4, { entries: [0] })], { initialCash: 1000 });
    expect(r.trades).toHaveLength(0);
    expect(r.openPositions[0]).toMatchObject({ size: 10, markPrice: 110, unrealizedPnl: 100, barsHeld: 2 });
    expect(r.equity[3]).toBe(1100);
  });
  it("closes at the last close with closeAtEnd", () => {
    const r = simulate([s], [sig(4, { entries: [0] })], { initialCash: 1000, closeAtEnd: true });
    expect(r.openPositions).toHaveLength(0);
    expect(r.trades[0]).toMatchObject({ exitBar: 3, exitPrice: 110, exitReason: "end_of_data", pnl: 100 });
  });
});
