import { describe, expect, it } from "vitest";
import { dateTicks, niceTicks } from "@/components/charts/axis-ticks";
import { formatMetric, formatMoneyShort, startingCapital } from "@/components/metrics/format";

describe("one formatter", () => {
  it("shows the same text for a figure on every page", () => {
    expect(formatMetric(276.2345, "pct")).toBe("276.23 %");
    expect(formatMetric(2.2, "ratio")).toBe("2.20");
    expect(formatMetric(37_623.4, "money")).toBe("$37,623");
    expect(formatMetric(-1250.6, "money")).toBe("−$1,251");
    expect(formatMetric(null, "pct")).toBe("—");
    expect(formatMetric(Number.NaN, "ratio")).toBe("—");
  });

  it("derives the starting capital from the final equity and total return", () => {
    // 10,000 grown by 276.23 % is 37,623.
    expect(startingCapital({ final_equity: 37_623, total_return_pct: 276.23 })).toBeCloseTo(10_000, 6);
    expect(startingCapital({ final_equity: 0, total_return_pct: -100 })).toBeNull();
  });

  it("shortens axis money", () => {
    expect([950, 7_900, 55_906, 1_234_567].map(formatMoneyShort)).toEqual(["$950", "$7.9k", "$56k", "$1.2M"]);
  });
});

describe("axis ticks", () => {
  it("uses round steps that cover the data (not $7,912 / $55,906 / $103,900)", () => {
    expect(niceTicks(7912, 103_900, 5)).toEqual([0, 25_000, 50_000, 75_000, 100_000, 125_000]);
    expect(niceTicks(-0.37, 0, 5)).toEqual([-0.4, -0.3, -0.2, -0.1, 0]);
    expect(niceTicks(5, 5), "a flat series still gets a readable band around it").toEqual([4.6, 4.8, 5, 5.2, 5.4]);
  });

  it("spreads date labels over the time axis, years only on long spans", () => {
    const day = 86_400_000;
    const ts = Array.from({ length: 500 }, (_, i) => Date.UTC(2021, 0, 4) + i * day);
    const ticks = dateTicks(ts, 5);
    expect(ticks[0]).toEqual({ index: 0, label: "Jan 2021" });
    expect(ticks.at(-1)?.index).toBe(499);
    const long = Array.from({ length: 3000 }, (_, i) => Date.UTC(2010, 0, 1) + i * 3 * day);
    expect(dateTicks(long, 4)[0].label).toBe("2010");
    expect(dateTicks(long, 4).every((t) => /^\d{4}$/.test(t.label))).toBe(true);
  });
});
