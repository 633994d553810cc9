/** The live study summary the run page draws from the run's events, against hand-worked values. */
import { describe, expect, it } from "vitest";
import { mergeLiveTrials, summarizeLiveStudy, type LiveTrial } from "@/lib/optimize/live";

const t = (number: number, state: LiveTrial["state"], value: number | null): LiveTrial => ({ number, state, value });

describe("live study summary", () => {
  it("merges event batches by trial number; a batch sent again after a reconnect changes nothing", () => {
    const known = new Map<number, LiveTrial>();
    expect(mergeLiveTrials(known, [t(1, "complete", 0.5), t(0, "complete", 0.2)])).toBe(true);
    expect(mergeLiveTrials(known, [t(0, "complete", 0.2), t(1, "complete", 0.5)])).toBe(false);
    expect(mergeLiveTrials(known, [t(2, "pruned", null)])).toBe(true);
    expect([...known.keys()].sort()).toEqual([0, 1, 2]);
  });

  it("counts by state, keeps the best feasible complete trial and the best-so-far line in trial order", () => {
    // arrival order differs from trial order (parallel workers); infeasible and failed never lead
    const trials = [
      t(3, "complete", 0.9),
      t(0, "complete", 0.4),
      t(2, "infeasible", 5),
      t(1, "failed", null),
      t(4, "pruned", 2),
      t(5, "complete", 0.9),
    ];
    const s = summarizeLiveStudy(trials, { direction: "maximize", budget: 10, elapsedMs: 12_000 });
    expect(s).toMatchObject({ n: 6, nComplete: 2 + 1, nPruned: 1, nFailed: 1, nInfeasible: 1 });
    expect(s.best, "ties go to the lower number").toEqual({ number: 3, value: 0.9 });
    expect(s.history).toEqual([
      { number: 0, value: 0.4, best: 0.4 },
      { number: 1, value: null, best: 0.4 },
      { number: 2, value: 5, best: 0.4 },
      { number: 3, value: 0.9, best: 0.9 },
      { number: 4, value: 2, best: 0.9 },
      { number: 5, value: 0.9, best: 0.9 },
    ]);
    // 12 s for 6 trials → 2 s each, 4 left → 8 s
    expect(s.etaSeconds).toBeCloseTo(8, 12);
    const min = summarizeLiveStudy(trials, {
      direction: "minimize",
      budget: null,
      timeoutMs: 30_000,
      elapsedMs: 12_000,
    });
    expect(min.best).toEqual({ number: 0, value: 0.4 });
    expect(min.etaSeconds, "no budget: the rest of the timeout").toBe(18);
    expect(summarizeLiveStudy([], { direction: "maximize", budget: null, elapsedMs: 5 }).etaSeconds).toBeNull();
  });

  it("down-samples a long history to at most about maxPoints, keeping every change of the best", () => {
    // values rise slowly with noise: the best changes at known trials
    const trials: LiveTrial[] = [];
    const changes: number[] = [];
    let best = -Infinity;
    for (let i = 0; i < 10_000; i++) {
      const v = Math.sin(i * 12.9898) * 0.5 + i / 10_000;
      trials.push(t(i, "complete", v));
      if (v > best) {
        best = v;
        changes.push(i);
      }
    }
    const s = summarizeLiveStudy(trials, { direction: "maximize", budget: 10_000, elapsedMs: 1, maxPoints: 500 });
    expect(s.history.length).toBeLessThanOrEqual(500 + changes.length + 1);
    expect(s.history.length).toBeGreaterThanOrEqual(400);
    const kept = new Set(s.history.map((p) => p.number));
    for (const c of changes) expect(kept.has(c), `change at ${c}`).toBe(true);
    expect(s.history.at(-1)).toEqual({ number: 9999, value: trials[9999].value, best });
    expect(s.best?.number).toBe(changes.at(-1));
  });
});
