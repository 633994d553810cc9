/**
 * Reproducible parallel studies: when trial n is asked against `windowedHistory(trials, n, W)`,
 * its params depend on (seed, n, W and the evaluations) only — not on how many workers take
 * part (up to W) or in which order their trials finish. Checked with a discrete-event
 * simulation of workers whose trial durations come from a separate random stream; W = 1 must
 * give exactly the sequential study (`runStudy`, which the CLI runs); the control without the
 * window shows the timing leaking into the sequence.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "@/lib/data/rng";
import { TpeSampler } from "@/lib/optimize/samplers";
import type { Params, SearchSpace } from "@/lib/optimize/space";
import { runStudy, windowedHistory } from "@/lib/optimize/study";
import type { Trial } from "@/lib/optimize/types";

const space: SearchSpace = {
  names: ["x", "y"],
  dists: { x: { type: "float", low: -5, high: 10 }, y: { type: "float", low: 0, high: 15 } },
  fixed: {},
  constraints: [],
};
// Branin (minimum 0.397887 at three points), written out from its textbook definition.
const branin = (p: Params) => {
  const x = p.x as number;
  const y = p.y as number;
  const b = 5.1 / (4 * Math.PI ** 2);
  return (y - b * x * x + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
};

/**
 * `workers` workers run `n` trials; each asks when idle, evaluates for a random duration and
 * tells. With `window` the ask uses the windowed history (waiting when it says so); with
 * `window: null` it sees the trials as they are at that moment (running ones as running).
 */
function simulate(workers: number, window: number | null, durationSeed: number, n: number, seed = 11): Params[] {
  const sampler = new TpeSampler({ constantLiar: true });
  const durations = new Rng(durationSeed);
  const trials: Trial[] = [];
  const finishAt = new Map<number, number>();
  let idle = workers;
  let now = 0;
  for (;;) {
    while (idle > 0 && trials.length < n) {
      const number = trials.length;
      let history: readonly Trial[] = trials;
      if (window !== null) {
        const h = windowedHistory(trials, number, window);
        if (h.waitFor !== null) break;
        history = h.trials;
      }
      const params = sampler.sample({ space, trials: history, directions: ["minimize"], number, seed });
      trials.push({ number, params, state: "running" });
      finishAt.set(number, now + 0.1 + durations.uniform() * 3);
      idle--;
    }
    if (finishAt.size === 0) break;
    let next = -1;
    for (const [k, at] of finishAt) if (next < 0 || at < finishAt.get(next)!) next = k;
    now = finishAt.get(next)!;
    finishAt.delete(next);
    idle++;
    const t = trials[next];
    t.state = "complete";
    t.values = [branin(t.params)];
  }
  return trials.map((t) => t.params);
}

describe("windowed history (reproducible parallel studies)", () => {
  it("sees finished trials up to n − W, the W − 1 before n as running, and names what to wait for", () => {
    const t = (number: number, state: Trial["state"]): Trial => ({
      number,
      params: { x: number },
      state,
      ...(state === "complete" ? { values: [number] } : {}),
    });
    const trials = [t(0, "complete"), t(1, "running"), t(2, "complete"), t(3, "complete"), t(4, "running")];
    const h = windowedHistory(trials, 5, 3);
    expect(h.waitFor, "trial 1 ≤ 5 − 3 is still running").toBe(1);
    expect(h.trials.map((x) => [x.number, x.state])).toEqual([
      [0, "complete"],
      [1, "running"],
      [2, "complete"],
      [3, "running"], // finished, but inside the window: seen as running, without its value
      [4, "running"],
    ]);
    expect(h.trials[3].values).toBeUndefined();
    expect(h.settled.map((x) => x.number)).toEqual([0, 2]);
    expect(windowedHistory(trials, 4, 1).waitFor).toBe(1);
    expect(windowedHistory(trials.slice(0, 1), 1, 1)).toEqual({
      trials: [trials[0]],
      settled: [trials[0]],
      waitFor: null,
    });
  });

  it("the same seed and window give the same trial sequence whatever the worker count and timing", () => {
    const n = 40;
    const reference = simulate(3, 3, 1, n);
    expect(simulate(3, 3, 2, n)).toEqual(reference);
    expect(simulate(3, 3, 99, n)).toEqual(reference);
    expect(simulate(2, 3, 5, n), "fewer workers than the window").toEqual(reference);
    expect(simulate(1, 3, 5, n), "one worker with the same window").toEqual(reference);
    // another seed is another sequence (the comparison above is not vacuous)
    expect(simulate(3, 3, 1, n, 12)).not.toEqual(reference);
  });

  it("window 1 is the sequential study the CLI runs (runStudy)", async () => {
    const n = 30;
    const seq = await runStudy(
      { space, method: "tpe", directions: ["minimize"], seed: 11, stop: { maxTrials: n } },
      (p) => ({ values: [branin(p)] }),
      { now: () => 0 },
    );
    expect(simulate(1, 1, 3, n)).toEqual(seq.trials.map((t) => t.params));
  });

  it("a sequential study with window W repeats the sequence of W workers (a queued study, reproduced in one process)", async () => {
    const n = 30;
    const seq = await runStudy(
      { space, method: "tpe", directions: ["minimize"], seed: 11, stop: { maxTrials: n }, window: 3 },
      (p) => ({ values: [branin(p)] }),
      { now: () => 0 },
    );
    expect(seq.trials.map((t) => t.params)).toEqual(simulate(3, 3, 8, n));
  });

  it("control: asked against the trials as they are, the sequence depends on the timing", () => {
    const n = 40;
    const a = simulate(3, null, 1, n);
    const b = simulate(3, null, 2, n);
    expect(a.slice(0, 3), "the first trials are random start-up draws, per trial number").toEqual(b.slice(0, 3));
    expect(a).not.toEqual(b);
  });
});
