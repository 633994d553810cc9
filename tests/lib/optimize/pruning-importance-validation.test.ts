import { describe, expect, it } from "vitest";
import { AshaPruner, MedianPruner } from "@/lib/optimize/pruners";
import { pedAnovaImportance } from "@/lib/optimize/importance";
import { runStudy } from "@/lib/optimize/study";
import type { SearchSpace } from "@/lib/optimize/space";
import type { Trial } from "@/lib/optimize/types";
import {
  holdoutSplit,
  stitchEquity,
  stratifiedSubset,
  walkForwardEfficiency,
  walkForwardFolds,
} from "@/lib/optimize/validation";
import { Rng } from "@/lib/data/rng";

const t = (number: number, iv: number[], state: Trial["state"] = "complete"): Trial => ({
  number,
  params: {},
  state,
  values: state === "complete" ? [iv[iv.length - 1]] : undefined,
  intermediate: iv.map((v, i) => [i, v] as [number, number]),
});

describe("pruners", () => {
  it("median: after 5 complete trials, prune a value below the median at that step (maximize)", () => {
    const p = new MedianPruner();
    const done = [1, 2, 3, 4, 5].map((v, i) => t(i, [v, v]));
    const cur: Trial = { number: 9, params: {}, state: "running", intermediate: [] };
    expect(p.shouldPrune(cur, 0, 2.9, done, "maximize")).toBe(true); // median 3
    expect(p.shouldPrune(cur, 0, 3, done, "maximize")).toBe(false);
    expect(p.shouldPrune(cur, 0, 2.9, done.slice(0, 4), "maximize")).toBe(false); // startup
    expect(p.shouldPrune(cur, 0, 3.1, done, "minimize")).toBe(true);
  });
  it("ASHA: continue only within the top ⌊n/η⌋ (at least the best) at a rung", () => {
    const p = new AshaPruner(3);
    const cur: Trial = { number: 9, params: {}, state: "running", intermediate: [] };
    const others = [t(0, [5]), t(1, [4]), t(2, [3]), t(3, [2]), t(4, [1])];
    // 6 values with ours; top ⌊6/3⌋ = 2 → threshold is the 2nd best
    expect(p.shouldPrune(cur, 0, 4.5, others, "maximize")).toBe(false);
    expect(p.shouldPrune(cur, 0, 3.5, others, "maximize")).toBe(true);
    expect(p.shouldPrune(cur, 0, 0.5, [], "maximize")).toBe(false); // first at the rung is the best
  });
  it("a pruned study counts its pruned trials and spends fewer evaluation steps", async () => {
    const space: SearchSpace = {
      names: ["x"],
      dists: { x: { type: "float", low: 0, high: 1 } },
      fixed: {},
      constraints: [],
    };
    let steps = 0;
    const r = await runStudy(
      { space, method: "random", directions: ["maximize"], seed: 4, stop: { maxTrials: 60 }, pruner: "asha" },
      (p, h) => {
        for (let s = 0; s < 3; s++) {
          steps++;
          if (h.report(s, (p.x as number) * (s + 1))) return { pruned: true };
        }
        return { values: [(p.x as number) * 3] };
      },
      { now: () => 0 },
    );
    const pruned = r.trials.filter((x) => x.state === "pruned").length;
    expect(pruned).toBeGreaterThan(20);
    expect(steps).toBeLessThan(60 * 3 - 20);
  });
});

describe("PED-ANOVA importance", () => {
  it("sums to 1 and ranks a dominating param first", () => {
    const space: SearchSpace = {
      names: ["a", "b", "c", "k"],
      dists: {
        a: { type: "float", low: 0, high: 1 },
        b: { type: "float", low: 0, high: 1 },
        c: { type: "int", low: 1, high: 20, step: 1 },
        k: { type: "categorical", choices: ["x", "y", "z"] },
      },
      fixed: {},
      constraints: [],
    };
    const rng = new Rng(9);
    const trials: Trial[] = Array.from({ length: 300 }, (_, i) => {
      const a = rng.uniform();
      const b = rng.uniform();
      const c = 1 + rng.int(20);
      const k = ["x", "y", "z"][rng.int(3)];
      return {
        number: i,
        params: { a, b, c, k },
        state: "complete",
        values: [(a - 0.3) ** 2 * 10 + 0.05 * b + 0.001 * c + (k === "z" ? 0.01 : 0)],
      };
    });
    const imp = pedAnovaImportance(space, trials, "minimize");
    expect(Object.values(imp).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(Object.keys(imp)[0]).toBe("a");
    expect(imp.a).toBeGreaterThan(0.5);
  });
});

describe("validation splits", () => {
  it("holdout: the last 30 % by default; 0 = none", () => {
    expect(holdoutSplit(1000, 0.3)).toEqual({
      inSample: { start: 0, end: 700 },
      outOfSample: { start: 700, end: 1000 },
    });
    expect(holdoutSplit(1000, 0).outOfSample).toBeNull();
    expect(() => holdoutSplit(10, 1)).toThrow();
  });
  it("walk-forward folds: rolling and anchored, test windows tile the period after the first segment", () => {
    const r = walkForwardFolds(600, 5, false);
    expect(r.map((f) => [f.train.start, f.train.end, f.test.start, f.test.end])).toEqual([
      [0, 100, 100, 200],
      [100, 200, 200, 300],
      [200, 300, 300, 400],
      [300, 400, 400, 500],
      [400, 500, 500, 600],
    ]);
    expect(walkForwardFolds(603, 5, true).map((f) => [f.train.start, f.test.end])).toEqual([
      [0, 200],
      [0, 300],
      [0, 400],
      [0, 500],
      [0, 603],
    ]);
  });
  it("stitched curve chains each window's returns; efficiency = mean OOS / mean IS", () => {
    // window 1: 100 → 110 → 121 from 100; window 2 from its own 100: 100 → 90
    const st = stitchEquity(
      [
        [100, 110, 121],
        [100, 90],
      ],
      100,
    );
    [100, 110, 121, 121, 121 * 0.9].forEach((x, i) => expect(st[i]).toBeCloseTo(x, 10));
    expect(walkForwardEfficiency([2, 1], [1, 0.5])).toBeCloseTo(0.5, 14);
    expect(walkForwardEfficiency([0, 0], [1, 1])).toBeNull();
  });
  it("stratified subset: proportional per sector, seeded, repeatable", () => {
    const uni = [
      ...Array.from({ length: 30 }, (_, i) => ({ symbol: `T${i}`, sector: "Tech" })),
      ...Array.from({ length: 10 }, (_, i) => ({ symbol: `E${i}`, sector: "Energy" })),
    ];
    const a = stratifiedSubset(uni, 8, 1);
    expect(a.length).toBe(8);
    expect(a.filter((s) => s.startsWith("T")).length).toBe(6);
    expect(stratifiedSubset(uni, 8, 1)).toEqual(a);
    expect(stratifiedSubset(uni, 8, 2)).not.toEqual(a);
  });
});
