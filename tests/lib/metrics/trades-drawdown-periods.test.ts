import { describe, expect, it } from "vitest";
import * as m from "@/lib/metrics";
import { loadBars } from "../indicators/load-bars";

describe("trade statistics (hand-computed)", () => {
  // Five closed trades: returns and money PnL.
  const returns = [0.1, -0.05, 0.2, -0.1, 0];
  const pnl = [1000, -500, 2200, -1100, 0];
  const barsHeld = [5, 3, 12, 4, 1];

  it("win rate counts strictly positive trades", () => {
    expect(m.winRate(returns)).toBe(2 / 5);
    expect(m.winRate([])).toBeNaN();
  });

  it("profit factor is gross profit / gross loss; Infinity without losers, NaN without trades", () => {
    expect(m.profitFactor(pnl)).toBeCloseTo(3200 / 1600, 12);
    expect(m.profitFactor(returns)).toBeCloseTo(0.3 / 0.15, 12);
    expect(m.profitFactor([5, 10])).toBe(Infinity);
    expect(m.profitFactor([])).toBeNaN();
    expect(m.profitFactor([0, 0])).toBeNaN();
  });

  it("expectancy is the mean return; SQN = sqrt(n)·mean/sample std", () => {
    expect(m.expectancy(returns)).toBeCloseTo(0.03, 14);
    // deviations from 0.03: 0.07, -0.08, 0.17, -0.13, -0.03 → squares sum 0.0580; /4 = 0.0145
    expect(m.sqn(returns)).toBeCloseTo((Math.sqrt(5) * 0.03) / Math.sqrt(0.0145), 12);
    expect(m.sqn([0.1])).toBeNaN();
    expect(m.sqn([0.1, 0.1])).toBe(Infinity);
  });

  it("summarizeTrades gathers everything and uses money PnL for profit factor when given", () => {
    const s = m.summarizeTrades({ returns, pnl, barsHeld });
    expect(s.count).toBe(5);
    expect(s.bestReturn).toBe(0.2);
    expect(s.worstReturn).toBe(-0.1);
    expect(s.averageReturn).toBeCloseTo(0.03, 14);
    expect(s.profitFactor).toBeCloseTo(2, 12);
    expect(s.averageBarsHeld).toBe(5);
    expect(s.maxBarsHeld).toBe(12);
    const none = m.summarizeTrades({ returns: [] });
    expect([none.count, none.winRate, none.profitFactor, none.bestReturn, none.averageBarsHeld]).toEqual([
      0,
      NaN,
      NaN,
      NaN,
      NaN,
    ]);
    expect(() => m.summarizeTrades({ returns, pnl: [1] })).toThrow(
      /summarizeTrades: pnl has length 1 but returns has length 5/,
    );
  });
});

describe("drawdowns (hand-computed)", () => {
  const equity = [100, 110, 99, 88, 110, 120, 108, 114];

  it("drawdown series is equity over running peak minus 1", () => {
    const dd = Array.from(m.drawdownSeries(equity));
    const expected = [0, 0, -0.1, -0.2, 0, 0, -0.1, -0.05];
    dd.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });

  it("max drawdown reports depth, peak, trough and recovery bars", () => {
    const r = m.maxDrawdown(equity);
    expect(r.maxDrawdown).toBeCloseTo(-0.2, 12);
    expect([r.peakIndex, r.troughIndex, r.recoveryIndex]).toEqual([1, 3, 4]);
    expect(m.maxDrawdown([1, 2, 3])).toEqual({ maxDrawdown: 0, peakIndex: -1, troughIndex: -1, recoveryIndex: -1 });
    expect(m.maxDrawdown([]).maxDrawdown).toBeNaN();
    expect(m.maxDrawdown([100, 90, 95]).recoveryIndex, "not recovered").toBe(-1);
  });

  it("episodes run from the peak bar to the recovery bar, or to the last bar if still under water", () => {
    // episode 1: peak bar 1 → recovered at bar 4: 3 bars, depth -0.2
    // episode 2: peak bar 5 → still under water at bar 7: 2 bars, depth -0.1
    const d = m.drawdownDurations(equity);
    expect(d.count).toBe(2);
    expect(d.maxDurationBars).toBe(3);
    expect(d.averageDurationBars).toBe(2.5);
    expect(d.averageDrawdown).toBeCloseTo(-0.15, 12);
    expect(m.drawdownDurations([1, 2, 3])).toEqual({
      count: 0,
      maxDurationBars: 0,
      averageDurationBars: NaN,
      averageDrawdown: NaN,
    });
  });

  it("calmar is CAGR over |max drawdown|, NaN without a drawdown", () => {
    const years = (equity.length - 1) / 252;
    expect(m.calmar(equity, 252)).toBeCloseTo(((114 / 100) ** (1 / years) - 1) / 0.2, 8);
    expect(m.calmar([1, 2, 3], 252)).toBeNaN();
  });

  it("returnsFromEquity and totalReturn", () => {
    expect(Array.from(m.returnsFromEquity([100, 110, 99]))).toEqual([110 / 100 - 1, 99 / 110 - 1]);
    expect(m.totalReturn([100, 110, 99])).toBeCloseTo(-0.01, 14);
  });

  it("rejects a non-positive periodsPerYear and mismatched benchmark lengths", () => {
    expect(() => m.cagr([1, 2], 0)).toThrow(/cagr: periodsPerYear/);
    expect(() => m.sharpe([0.1, 0.2], 252, [0.1])).toThrow(/sharpe: riskFree has length 1/);
    expect(() => m.alphaBeta([0.1, 0.2], [0.1], 252)).toThrow(/alphaBeta: benchmarkReturns/);
    expect(() => m.valueAtRisk([0.1], 1.5)).toThrow(/cutoff/);
  });
});

describe("periodsPerYearFromTimestamps on the real data files", () => {
  const ts = (file: string) =>
    loadBars(file).dates.map((d) => Date.parse(d.includes(" ") ? `${d.replace(" ", "T")}Z` : `${d}T00:00:00Z`));

  it("daily equities → 252, monthly → 12, hourly forex → 24 × 252", () => {
    expect(m.periodsPerYearFromTimestamps(ts("GOOG.csv"))).toBe(252);
    expect(m.periodsPerYearFromTimestamps(ts("nvda-1999-2014.csv"))).toBe(252);
    expect(m.periodsPerYearFromTimestamps(ts("BTCUSD.csv"))).toBe(12);
    expect(m.periodsPerYearFromTimestamps(ts("EURUSD.csv"))).toBe(24 * 252);
  });

  it("weekly → 52; 24/7 daily and hourly → 365-day calendar; US session hours → bars per day × 252", () => {
    const start = Date.UTC(2024, 0, 1);
    const H = 3_600_000;
    const D = 24 * H;
    expect(m.periodsPerYearFromTimestamps(Array.from({ length: 60 }, (_, i) => start + i * 7 * D))).toBe(52);
    expect(m.periodsPerYearFromTimestamps(Array.from({ length: 400 }, (_, i) => start + i * D))).toBe(365);
    expect(m.periodsPerYearFromTimestamps(Array.from({ length: 2000 }, (_, i) => start + i * H))).toBe(24 * 365);
    // 7 hourly bars a day (14:30–20:30 UTC), Monday to Friday
    const session: number[] = [];
    for (let day = 0; day < 60; day++) {
      const t = start + day * D;
      const dow = new Date(t).getUTCDay();
      if (dow === 0 || dow === 6) continue;
      for (let h = 0; h < 7; h++) session.push(t + 14.5 * H + h * H);
    }
    expect(m.periodsPerYearFromTimestamps(session)).toBe(7 * 252);
  });

  it("rejects too few or unsorted timestamps", () => {
    expect(() => m.periodsPerYearFromTimestamps([1])).toThrow(/at least 2/);
    expect(() => m.periodsPerYearFromTimestamps([3, 2])).toThrow(/strictly ascending \(index 1\)/);
  });
});

describe("periodsPerYearOf (the engine's remembered bars-per-year)", () => {
  it("views of one buffer keep their own answers: a weekly range, a 24/7 daily range, and each again", async () => {
    const { periodsPerYearOf } = await import("@/lib/engine/report");
    const start = Date.UTC(2024, 0, 1);
    const D = 24 * 3_600_000;
    // one buffer: 60 weekly bars, then 400 calendar-daily bars
    const all = Float64Array.from([
      ...Array.from({ length: 60 }, (_, i) => start + i * 7 * D),
      ...Array.from({ length: 400 }, (_, i) => start + 500 * D + i * D),
    ]);
    const weekly = all.subarray(0, 60);
    const daily = all.subarray(60);
    expect(periodsPerYearOf(weekly)).toBe(52);
    expect(periodsPerYearOf(daily)).toBe(365);
    // new view objects over the same ranges (as a study slices per trial) give the same answers
    expect(periodsPerYearOf(all.subarray(0, 60))).toBe(52);
    expect(periodsPerYearOf(all.subarray(60))).toBe(365);
    expect(periodsPerYearOf(Array.from(weekly))).toBe(52);
  });
});
