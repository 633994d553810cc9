/**
 * Optimization studies:
 * - `optimize_tpe_ms_per_trial_at_1000`: TPE sampler time for one trial once 1,000 trials exist
 *   (3 params: int, stepped float, float; univariate, Optuna's defaults);
 * - `optimize_trials_per_s_sandboxed`: a TPE study of the RSI + volume example over 50 demo
 *   symbols × 10 years, strategy code in the sandbox (its child processes), 20 % holdout;
 * - `walk_forward_ms`: SMA cross on GOOG, 5 rolling folds, each re-optimized by the full grid of
 *   the SMA sweep, fast 2..99 × slow 3..100 with fast < slow (4,851 combos per fold, served by the
 *   cross kernel), after the main in-sample search over the same grid (full backtests), in-process.
 */
import { readFileSync } from "node:fs";
import { parseBarsCsv } from "@/lib/data/csv";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { runOptimize } from "@/lib/modes/optimize";
import { TpeSampler } from "@/lib/optimize/samplers";
import type { SearchSpace } from "@/lib/optimize/space";
import type { Trial } from "@/lib/optimize/types";
import { Rng } from "@/lib/data/rng";
import { studySchema } from "@/lib/schemas/study";
import { EXAMPLES } from "@/lib/sdk/examples";
import { shutdownSandbox } from "@/server/sandbox";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import { localRunner } from "@/tests/helpers/local-runner";
import { QUICK, type BenchCase } from "../case";
import { median } from "../random-walk";
import { RSI_VOLUME_RANGES } from "../studies";

function tpeMsPerTrial(): number {
  const space: SearchSpace = {
    names: ["a", "b", "c"],
    dists: {
      a: { type: "int", low: 2, high: 200, step: 1 },
      b: { type: "float", low: 0, high: 10, step: 0.5 },
      c: { type: "float", low: 0.01, high: 1, log: true },
    },
    fixed: {},
    constraints: [],
  };
  const rng = new Rng(1);
  const trials: Trial[] = Array.from({ length: 1000 }, (_, i) => ({
    number: i,
    params: { a: 2 + rng.int(199), b: rng.int(21) * 0.5, c: Math.exp(Math.log(0.01) + rng.uniform() * Math.log(100)) },
    state: "complete",
    values: [rng.normal()],
  }));
  const s = new TpeSampler();
  for (let k = 0; k < 5; k++) s.sample({ space, trials, directions: ["maximize"], number: 1000 + k, seed: 1 });
  const times: number[] = [];
  for (let k = 0; k < 30; k++) {
    const t0 = performance.now();
    s.sample({ space, trials, directions: ["maximize"], number: 2000 + k, seed: 1 });
    times.push(performance.now() - t0);
  }
  return median(times);
}

const bench: BenchCase = {
  name: "optimize",
  description:
    "TPE sampler ms/trial at 1,000 trials; sandboxed RSI study trials/s (50 symbols × 10 y); walk-forward 5 folds SMA grid on GOOG",
  async run() {
    const tpe = tpeMsPerTrial();

    const goog = parseBarsCsv(readFileSync("../shared/data/GOOG.csv", "utf8"), { symbol: "GOOG" }).series;
    const t0 = performance.now();
    await runOptimize({
      source: EXAMPLES["sma-cross"].source,
      runner: localRunner,
      universe: [goog],
      study: studySchema.parse({
        method: "grid",
        ranges: { fast: { min: 2, max: 99, step: 1 }, slow: { min: 3, max: 100, step: 1 } },
        constraints: ["fast < slow"],
        holdout: 0,
        walk_forward: { folds: 5 },
      }),
      config: { costs: { commissionRate: 0.002 } },
      clock: { now: () => performance.now() },
    });
    const wf = performance.now() - t0;

    const demo = generateDemoUniverse({ symbols: 50, years: 10 }).symbols;
    const trials = QUICK ? 10 : 30;
    try {
      const t1 = performance.now();
      await runOptimize({
        source: EXAMPLES["rsi-volume"].source,
        runner: sandboxRunner,
        universe: demo.map((d) => d.series),
        study: studySchema.parse({
          method: "tpe",
          trials,
          seed: 1,
          holdout: 0.2,
          ranges: RSI_VOLUME_RANGES,
        }),
        config: { portfolio: { maxPositions: 10 } },
        clock: { now: () => performance.now() },
      });
      const perS = trials / ((performance.now() - t1) / 1000);
      return { optimize_tpe_ms_per_trial_at_1000: tpe, optimize_trials_per_s_sandboxed: perS, walk_forward_ms: wf };
    } finally {
      shutdownSandbox();
    }
  },
};
export default bench;
