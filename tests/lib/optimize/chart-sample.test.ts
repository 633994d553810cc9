/**
 * Down-sampling a 10,000-trial study for charts: at most N trials reach the browser, the
 * best-so-far line through the kept trials is exactly the full line at every trial, the best trial
 * and the Pareto front are kept, and small studies pass through unchanged.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "@/lib/data/rng";
import type { OptimizeResult, TrialJson } from "@/lib/modes/optimize";
import { CHART_MAX_POINTS, sampleForCharts } from "@/lib/optimize/chart-sample";

function synthetic(n: number, direction: "maximize" | "minimize", seed: number): OptimizeResult {
  const rng = new Rng(seed);
  const trials: TrialJson[] = [];
  const best: Array<number | null> = [];
  let b: number | null = null;
  let bestNo = -1;
  for (let i = 0; i < n; i++) {
    const failed = rng.uniform() < 0.05;
    const value = failed ? null : rng.normal() + (direction === "maximize" ? 1 : -1) * Math.log1p(i) * 0.1;
    trials.push({
      number: i,
      params: { fast: 2 + rng.int(98), slow: 3 + rng.int(98) },
      state: failed ? "failed" : "complete",
      value,
      metrics: null,
    });
    if (value !== null && (b === null || (direction === "maximize" ? value > b : value < b))) {
      b = value;
      bestNo = i;
    }
    best.push(b);
  }
  return {
    objectives: [{ metric: "sharpe", direction }],
    trials,
    best_so_far: best,
    best: { number: bestNo, params: trials[bestNo].params, in_sample: {} as never, out_of_sample: null },
    pareto_front: [17, 4242, 9999],
  } as unknown as OptimizeResult;
}

/** The step line through (number, best) points, read at trial number x. */
function stepAt(r: OptimizeResult, x: number): number | null {
  let v: number | null = null;
  for (let k = 0; k < r.trials.length && r.trials[k].number <= x; k++) v = r.best_so_far[k];
  return v;
}

describe("sampleForCharts", () => {
  for (const direction of ["maximize", "minimize"] as const) {
    it(`keeps at most N trials and the exact best-so-far line (${direction}, 10,000 trials)`, () => {
      const full = synthetic(10_000, direction, direction === "maximize" ? 1 : 2);
      const s = sampleForCharts(full);
      expect(s.trials.length).toBeLessThanOrEqual(CHART_MAX_POINTS);
      expect(s.trials.length).toBeGreaterThan(CHART_MAX_POINTS * 0.9);
      expect(s.best_so_far.length).toBe(s.trials.length);
      expect(s.trials_sampled).toEqual({ total: 10_000, kept: s.trials.length });
      // ascending trial numbers, each kept trial unchanged, its best-so-far value the full line's
      const numbers = s.trials.map((t) => t.number);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      s.trials.forEach((t, k) => {
        expect(t).toBe(full.trials[t.number]);
        expect(s.best_so_far[k]).toBe(full.best_so_far[t.number]);
      });
      for (let x = 0; x < 10_000; x += 1) expect(stepAt(s, x)).toBe(full.best_so_far[x]);
      expect(numbers).toContain(full.best!.number);
      for (const p of [17, 4242, 9999]) expect(numbers).toContain(p);
      // the kept trials include the best tenth of the budget by value
      const ranked = full.trials
        .filter((t) => t.value !== null)
        .sort((a, b) => (direction === "maximize" ? b.value! - a.value! : a.value! - b.value!));
      for (const t of ranked.slice(0, CHART_MAX_POINTS / 10)) expect(numbers).toContain(t.number);
      // the rest is spread over the whole study, not bunched at its start
      expect(numbers.filter((x) => x >= 5_000).length).toBeGreaterThan(CHART_MAX_POINTS * 0.3);
    });
  }

  it("passes a study of at most N trials through unchanged, and honours a smaller N", () => {
    const small = synthetic(500, "maximize", 3);
    expect(sampleForCharts(small)).toBe(small);
    const s = sampleForCharts(synthetic(10_000, "maximize", 4), 300);
    expect(s.trials.length).toBeLessThanOrEqual(300);
  });
});
