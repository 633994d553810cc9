import { describe, expect, it } from "vitest";
import { compareSideOf, thinned } from "@/components/compare/compare-side";

describe("compare side", () => {
  it("thins every step-th point and always keeps the last", () => {
    expect(thinned([0, 1, 2, 3, 4, 5, 6], 3)).toEqual([0, 3, 6]);
    expect(thinned([0, 1, 2, 3, 4, 5, 6, 7], 3)).toEqual([0, 3, 6, 7]);
    expect(thinned([5], 4)).toEqual([5]);
    expect(thinned(undefined, 2)).toEqual([]);
  });
  it("builds a side from a finished backtest's result, capped at maxPoints", () => {
    const n = 10;
    const ts = Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 86_400_000);
    const side = compareSideOf(
      {
        performance_metrics: { total_return_pct: 12.5, sharpe: null },
        engine: { timestamps: ts, equity: ts.map((_, i) => 100 + i), benchmark: ts.map((_, i) => 100 - i) },
      },
      { id: "r1", label: "v2", href: "/w/x/runs/r1" },
      4,
    );
    // ceil(10 / 4) = 3 → indices 0, 3, 6, 9 (9 is also the last)
    expect(side).toEqual({
      id: "r1",
      label: "v2",
      href: "/w/x/runs/r1",
      metrics: { total_return_pct: 12.5, sharpe: null },
      timestamps: [ts[0], ts[3], ts[6], ts[9]],
      equity: [100, 103, 106, 109],
      benchmark: [100, 97, 94, 91],
    });
  });
  it("is null for a result without engine series (not a finished backtest)", () => {
    expect(compareSideOf(null, { id: "r", label: "", href: "" })).toBeNull();
    expect(compareSideOf({ performance_metrics: {} }, { id: "r", label: "", href: "" })).toBeNull();
  });
});
