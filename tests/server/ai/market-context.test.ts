import { describe, expect, it } from "vitest";
import type { BarSeries } from "@/lib/data/bars";
import { describeRegime, measureRegime, RegimeDataError } from "@/server/ai/market-context";

/** A series whose daily log return is `drift` plus a ±`swing` alternation (volatility), switching to `lateSwing` for the last 21 bars. */
function series(symbol: string, n: number, drift: number, swing: number, lateSwing = swing): BarSeries {
  const close = new Float64Array(n);
  let logp = Math.log(100);
  for (let i = 0; i < n; i++) {
    const s = i >= n - 21 ? lateSwing : swing;
    logp += drift + (i % 2 === 0 ? s : -s);
    close[i] = Math.exp(logp);
  }
  const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000);
  return {
    symbol,
    timestampsMs: ts,
    open: close,
    high: close,
    low: close,
    close,
    volume: new Float64Array(n).fill(1e6),
  };
}

describe("market regime", () => {
  it("calls a steady 0.1%/day climb with a late volatility burst TRENDING_UP_HIGH_VOL", () => {
    const r = measureRegime([series("A", 300, 0.001, 0.002, 0.01), series("B", 300, 0.001, 0.002, 0.01)]);
    expect(r.regime).toBe("TRENDING_UP_HIGH_VOL");
    // Late swing ±0.01 alternating: sample std of 21 alternating returns ≈ 0.01·√(21/20) → annualised ≈ 16.27 %.
    expect(r.stats.recentVolPct).toBeCloseTo(0.01 * Math.sqrt(21 / 20) * Math.sqrt(252) * 100, 0);
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it("measures the drift as the hand computation says", () => {
    // drift 0.001/bar → exp(0.001 · 252) - 1 = 28.66 %/yr; a ±0.002 zigzag barely moves the fitted slope.
    const r = measureRegime([series("A", 300, 0.001, 0.002)]);
    expect(r.stats.annualizedTrendPct).toBeCloseTo((Math.exp(0.252) - 1) * 100, 0);
    expect(r.stats.rSquared).toBeGreaterThan(0.9);
  });

  it("calls a flat market with volatility fading RANGING_LOW_VOL", () => {
    expect(measureRegime([series("A", 300, 0, 0.01, 0.002)]).regime).toBe("RANGING_LOW_VOL");
  });

  it("calls a steady decline TRENDING_DOWN", () => {
    expect(measureRegime([series("A", 300, -0.002, 0.003, 0.006)]).trend).toBe("TRENDING_DOWN");
  });

  it("refuses too little data with a reason", () => {
    expect(() => measureRegime([series("A", 20, 0, 0.01)])).toThrow(RegimeDataError);
    expect(() => measureRegime([])).toThrow(/no symbols/);
  });

  it("says when the regime was measured on a sample of a larger universe", () => {
    const r = measureRegime([series("A", 300, 0.001, 0.002, 0.01), series("B", 300, 0.001, 0.002, 0.01)]);
    expect(describeRegime(r, 46)).toMatch(/across a sample of 2 of the universe's 46 symbols$/);
    expect(describeRegime(r, 2)).toMatch(/across 2 symbols$/);
    expect(describeRegime(r)).toMatch(/across 2 symbols$/);
  });
});
