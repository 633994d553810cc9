import { describe, expect, it } from "vitest";
import type { BarSeries } from "@/lib/data/bars";
import { alignSeries } from "@/lib/data/align";
import { dataQualityReport } from "@/lib/data/quality";
import { demoUniverses, resolveUniverse } from "@/lib/data/universes";
import { InvalidBarsError, validateBars } from "@/lib/data/validate";

const D = 86_400_000;
function series(symbol: string, days: number[], closes: number[]): BarSeries {
  const c = Float64Array.from(closes);
  return {
    symbol,
    timestampsMs: Float64Array.from(days.map((d) => Date.UTC(2024, 0, 1) + d * D)),
    open: c.slice(),
    high: c.map((x) => x * 1.01),
    low: c.map((x) => x * 0.99),
    close: c,
    volume: c.map(() => 100),
  };
}

describe("validateBars", () => {
  it("names the symbol, bar and problem", () => {
    const s = series("ABC", [0, 1, 2], [10, 11, 12]);
    s.low[1] = 12;
    try {
      validateBars(s);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidBarsError);
      const e = err as InvalidBarsError;
      expect([e.symbol, e.bar]).toEqual(["ABC", 1]);
      expect(e.problem).toMatch(/high .* below low|low .* above/);
    }
  });
  it.each([
    [
      "duplicate timestamp",
      (s: BarSeries) => {
        s.timestampsMs[2] = s.timestampsMs[1];
      },
      2,
      /duplicate/,
    ],
    [
      "NaN close",
      (s: BarSeries) => {
        s.close[0] = Number.NaN;
      },
      0,
      /close is NaN/,
    ],
    [
      "zero open",
      (s: BarSeries) => {
        s.open[1] = 0;
      },
      1,
      /open is 0/,
    ],
    [
      "negative volume",
      (s: BarSeries) => {
        s.volume[2] = -1;
      },
      2,
      /volume/,
    ],
  ])("rejects %s", (_k, mutate, bar, msg) => {
    const s = series("X", [0, 1, 2], [10, 11, 12]);
    mutate(s);
    expect(() => validateBars(s)).toThrow(msg);
    try {
      validateBars(s);
    } catch (e) {
      expect((e as InvalidBarsError).bar).toBe(bar);
    }
  });
});

describe("alignSeries", () => {
  const a = series("A", [0, 1, 2, 4], [10, 11, 12, 14]);
  const b = series("B", [1, 2, 3], [20, 21, 22]);
  it("union calendar: NaN before the first bar, forward-filled close and zero volume in holes", () => {
    const al = alignSeries([a, b]);
    expect(al.timestampsMs.length).toBe(5);
    expect(Array.from(al.close[1])).toEqual([Number.NaN, 20, 21, 22, 22]);
    expect(Array.from(al.volume[1])).toEqual([Number.NaN, 100, 100, 100, 0]);
    expect(Array.from(al.close[0])).toEqual([10, 11, 12, 12, 14]);
    expect(Array.from(al.present[0])).toEqual([1, 1, 1, 0, 1]);
    expect(al.high[0][3]).toBe(12);
  });
  it("fill nan leaves holes as NaN", () => {
    expect(Array.from(alignSeries([a, b], { fill: "nan" }).close[0])).toEqual([10, 11, 12, Number.NaN, 14]);
  });
  it("intersection keeps only common timestamps", () => {
    const al = alignSeries([a, b], { calendar: "intersection" });
    expect(Array.from(al.close[0])).toEqual([11, 12]);
    expect(Array.from(al.close[1])).toEqual([20, 21]);
  });
});

describe("dataQualityReport", () => {
  it("finds a gap, a stale run, an outlier and an unrecovered 2:1 split", () => {
    const days: number[] = [];
    const closes: number[] = [];
    let p = 100;
    for (let d = 0; d < 120; d++) {
      const dow = new Date(Date.UTC(2024, 0, 1) + d * D).getUTCDay();
      if (dow === 0 || dow === 6 || (d >= 40 && d < 50)) continue;
      p *= 1 + 0.01 * Math.sin(d * 1.7);
      if (d >= 20 && d < 27) p = closes[closes.length - 1] ?? p;
      if (d === 60) p *= 1.3;
      if (d === 91) p /= 2; // Monday 1 April
      days.push(d);
      closes.push(p);
    }
    const r = dataQualityReport(series("Q", days, closes));
    // Days 40–49 from Mon 2024-01-01 are Sat 10 Feb … Mon 19 Feb: 6 weekdays (12–16 and 19 Feb).
    expect(r.gaps.map((g) => g.missingBars)).toEqual([6]);
    expect(r.staleRuns.length).toBe(1);
    expect(r.outliers.map((o) => new Date(Date.UTC(2024, 0, 1) + days[o.bar] * D).getUTCDate())).toContain(
      new Date(Date.UTC(2024, 0, 1) + 60 * D).getUTCDate(),
    );
    expect(r.suspectedSplits.map((s) => s.label)).toEqual(["2:1"]);
    expect(r.ok).toBe(false);
  });
});

describe("universes", () => {
  it("resolves demo-500, sized and sector universes, and user universes through lookup", () => {
    expect(resolveUniverse("demo-500").length).toBe(500);
    expect(resolveUniverse("demo-20")).toEqual(resolveUniverse("demo-500").slice(0, 20));
    const tech = resolveUniverse("demo-tech");
    expect(tech.length).toBe(46);
    expect(demoUniverses().length).toBe(12);
    expect(resolveUniverse("mine", { lookup: (n) => (n === "mine" ? ["AAPL"] : undefined) })).toEqual(["AAPL"]);
    expect(() => resolveUniverse("nope")).toThrow(/unknown universe/);
  });
});
