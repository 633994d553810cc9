import { describe, expect, it } from "vitest";
import { alignSeries } from "@/lib/data/align";
import type { BarSeries } from "@/lib/data/bars";

const series = (symbol: string, ts: number[], base: number): BarSeries => {
  const f = (k: number) => Float64Array.from(ts, (_, i) => base + i + k);
  return {
    symbol,
    timestampsMs: Float64Array.from(ts),
    open: f(0),
    high: f(1),
    low: f(-1),
    close: f(0.5),
    volume: f(100),
  };
};

describe("alignSeries reuseInputs", () => {
  it("keeps the arrays of series already on the calendar, and only those", () => {
    const a = series("A", [1, 2, 3], 10),
      b = series("B", [1, 2, 3], 20);
    const copied = alignSeries([a, b]);
    const reused = alignSeries([a, b], { reuseInputs: true });
    expect(copied.close[0]).not.toBe(a.close);
    expect(copied.close[0]).toEqual(a.close);
    expect(reused.close[0]).toBe(a.close);
    expect(reused.volume[1]).toBe(b.volume);
    // C misses t=2: it is filled (a new array) while A stays as it is.
    const c = series("C", [1, 3], 30);
    const mixed = alignSeries([a, c], { reuseInputs: true });
    expect(mixed.close[0]).toBe(a.close);
    expect(Array.from(mixed.close[1])).toEqual([30.5, 30.5, 31.5]); // forward-filled at t=2 with the last close
    expect(Array.from(mixed.present[1])).toEqual([1, 0, 1]);
  });
});
