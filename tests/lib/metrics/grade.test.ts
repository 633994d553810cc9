import { describe, expect, it } from "vitest";
import { crashSurvival, gradeStrategy, levelForScore, regimeConsistency } from "@/lib/metrics";

/** Equity that compounds `r` per bar for n bars from 100. */
const compound = (n: number, r: (i: number) => number) => {
  const out = [100];
  for (let i = 1; i < n; i++) out.push(out[i - 1] * (1 + r(i)));
  return out;
};

describe("grade levels", () => {
  it("uses the documented thresholds on the rounded score", () => {
    expect(levelForScore(85)).toBe("ELITE");
    expect(levelForScore(84.9)).toBe("BATTLE_READY");
    expect(levelForScore(70)).toBe("BATTLE_READY");
    expect(levelForScore(69.9)).toBe("DEVELOPING");
    expect(levelForScore(50)).toBe("DEVELOPING");
    expect(levelForScore(30)).toBe("INADEQUATE");
    expect(levelForScore(29.9)).toBe("FAILED");
  });
});

describe("regimes and crashes", () => {
  it("labels 63-bar benchmark windows and counts where the strategy made money", () => {
    // Benchmark: 63 bars up 10 %, 63 bars down 10 %, 63 bars flat. Strategy: gains only while the market rises.
    const bench = compound(190, (i) =>
      i <= 63 ? Math.pow(1.1, 1 / 63) - 1 : i <= 126 ? Math.pow(0.9, 1 / 63) - 1 : 0,
    );
    const strat = compound(190, (i) => (i <= 63 ? 0.001 : i <= 126 ? -0.001 : 0));
    const r = regimeConsistency(strat, bench);
    expect(r.seen.sort()).toEqual(["bear", "bull", "sideways"]);
    expect(r.profitable).toEqual(["bull"]);
    expect(r.value).toBeCloseTo(1 / 3, 12);
  });
  it("finds crash windows and survival", () => {
    const bench = compound(64, (i) => (i <= 21 ? -0.01 : 0)); // first window: 0.99^21 - 1 = -19 %
    expect(
      crashSurvival(
        compound(64, () => 0),
        bench,
      ),
    ).toEqual({ value: 1, crashes: 1 });
    expect(
      crashSurvival(
        compound(64, (i) => (i <= 21 ? -0.02 : 0)),
        bench,
      ),
    ).toEqual({ value: 0, crashes: 1 });
    expect(
      crashSurvival(
        compound(64, () => 0),
        compound(64, () => 0.001),
      ).value,
    ).toBeNull();
  });
});

describe("gradeStrategy", () => {
  it("scores a smooth, always-profitable strategy ELITE and lists its edges", () => {
    const bench = compound(300, (i) => 0.002 * Math.sin(i / 10));
    const g = gradeStrategy({
      equity: compound(300, () => 0.001),
      benchmark: bench,
      sharpe: 3,
      profitFactor: 4,
      numTrades: 20,
    });
    expect(g.score).toBe(100);
    expect(g.grade).toBe("ELITE");
    expect(g.passedElite).toBe(true);
    expect(g.failedGates).toEqual([]);
    expect(g.uniqueEdges.some((e) => e.startsWith("Strong risk-adjusted return"))).toBe(true);
  });
  it("caps a high score that misses a hard gate at BATTLE_READY", () => {
    const bench = compound(300, () => 0.0005);
    // Sharpe 1.9 → 28.5 of 30; everything else full → 98.5, but the Sharpe gate fails.
    const g = gradeStrategy({
      equity: compound(300, () => 0.001),
      benchmark: bench,
      sharpe: 1.9,
      profitFactor: 3,
      numTrades: 10,
    });
    expect(g.score).toBeCloseTo(((0.95 * 30 + 25 + 20 + 10) / 85) * 100, 1);
    expect(g.grade).toBe("BATTLE_READY");
    expect(g.passedElite).toBe(false);
    expect(g.failedGates[0]).toMatch(/Sharpe 1.90 is below 2.0/);
  });
  it("fails a strategy with a deep drawdown and no edge", () => {
    const eq = compound(300, (i) => (i < 150 ? -0.004 : 0.0005));
    const g = gradeStrategy({
      equity: eq,
      benchmark: compound(300, () => 0),
      sharpe: -0.5,
      profitFactor: 0.4,
      numTrades: 12,
    });
    expect(g.grade).toBe("FAILED");
    expect(g.failedGates.join(" ")).toMatch(/drawdown/);
  });
});
