/** The stale-data rule (lib/data/staleness.ts) against calendar days counted by hand. */
import { describe, expect, it } from "vitest";
import { findStale, STALE_TRADING_DAYS, tradingDaysBetween } from "@/lib/data/staleness";

const d = (s: string) => Date.parse(`${s}T00:00:00Z`);

describe("stale data", () => {
  it("counts weekdays after the last bar up to the as-of day", () => {
    // 2024-01-05 is a Friday: Mon 8 … Fri 12 are five weekdays; Sat 13 and Sun 14 add none; Mon 15 is the sixth.
    expect(tradingDaysBetween(d("2024-01-05"), d("2024-01-12"))).toBe(5);
    expect(tradingDaysBetween(d("2024-01-05"), d("2024-01-14") + 23 * 3600_000)).toBe(5);
    expect(tradingDaysBetween(d("2024-01-05"), d("2024-01-15"))).toBe(6);
    // Thursday 4 → Monday 8: Friday 5 and Monday 8.
    expect(tradingDaysBetween(d("2024-01-04") + 21 * 3600_000, d("2024-01-08"))).toBe(2);
    expect(tradingDaysBetween(d("2024-01-05"), d("2024-01-05"))).toBe(0);
    expect(tradingDaysBetween(d("2024-01-05"), d("2024-01-01"))).toBe(0);
    // 2024-01-01 (Mon) → 2024-12-31 (Tue): 366 days, 52 whole weeks (260) + Mon 30 and Tue 31.
    expect(tradingDaysBetween(d("2024-01-01"), d("2024-12-31"))).toBe(261);
  });

  it("flags provider data more than five trading days behind, never demo, synthetic or CSV data", () => {
    expect(STALE_TRADING_DAYS).toBe(5);
    const rows = [
      { symbol: "FRESH", source: "polygon", synthetic: false, lastMs: d("2024-01-08") },
      { symbol: "EDGE", source: "polygon", synthetic: false, lastMs: d("2024-01-05") },
      { symbol: "OLD", source: "yahoo", synthetic: false, lastMs: d("2024-01-04") },
      { symbol: "DEMO", source: "demo", synthetic: true, lastMs: d("2023-01-02") },
      { symbol: "CSV", source: "csv", synthetic: false, lastMs: d("2023-01-02") },
      { symbol: "EMPTY", source: "polygon", synthetic: false, lastMs: null },
    ];
    const asOf = d("2024-01-12");
    expect(findStale(rows, asOf, ["polygon", "yahoo"])).toEqual([
      { symbol: "OLD", lastBar: "2024-01-04", tradingDaysBehind: 6 },
    ]);
    expect(findStale(rows, d("2024-01-15"), ["polygon", "yahoo"]).map((s) => s.symbol)).toEqual(["EDGE", "OLD"]);
  });
});
