import { describe, expect, it } from "vitest";
import { compound, histogram, monthlyReturns } from "@/lib/metrics/calendar";

const day = (y: number, m: number, d: number) => Date.UTC(y, m, d);

describe("monthly returns", () => {
  it("measures each month from the previous month's last value (hand computed)", () => {
    // Jan: 100 → 110 (+10 %); Feb: 110 → 99 (−10 %); Mar: 99 → 108.9 (+10 %).
    const ts = [
      day(2021, 0, 4),
      day(2021, 0, 29),
      day(2021, 1, 1),
      day(2021, 1, 26),
      day(2021, 2, 1),
      day(2021, 2, 31),
    ];
    const eq = [100, 110, 105, 99, 100, 108.9];
    const r = monthlyReturns(ts, eq);
    expect(r.map((x) => [x.year, x.month])).toEqual([
      [2021, 0],
      [2021, 1],
      [2021, 2],
    ]);
    expect(r[0].returnPct).toBeCloseTo(10, 10);
    expect(r[1].returnPct).toBeCloseTo(-10, 10);
    expect(r[2].returnPct).toBeCloseTo(10, 10);
    expect(compound(r.map((x) => x.returnPct)), "the months compound to the whole period").toBeCloseTo(
      (108.9 / 100 - 1) * 100,
      10,
    );
  });

  it("skips gaps and non-finite values", () => {
    const r = monthlyReturns([day(2020, 11, 31), day(2021, 2, 1), day(2021, 2, 2)], [100, Number.NaN, 120]);
    expect(r.map((x) => [x.year, x.month])).toEqual([
      [2020, 11],
      [2021, 2],
    ]);
    expect(r[0].returnPct).toBe(0);
    expect(r[1].returnPct).toBeCloseTo(20, 10);
  });
});

describe("histogram", () => {
  it("uses round bins and counts every value once", () => {
    const values = [-7.5, -2, -0.1, 0, 0.4, 3, 3.2, 9.9];
    const bins = histogram(values, 4);
    expect(
      bins.map((b) => b.to - b.from).every((w) => Math.abs(w - 5) < 1e-9),
      "width 5",
    ).toBe(true);
    expect(bins[0].from).toBe(-10);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(values.length);
    expect(bins.map((b) => b.count)).toEqual([1, 2, 4, 1]);
  });
  it("handles one repeated value and no values", () => {
    expect(histogram([2, 2, 2]).reduce((n, b) => n + b.count, 0)).toBe(3);
    expect(histogram([])).toEqual([]);
  });
});
