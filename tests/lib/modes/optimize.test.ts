/**
 * Optimize mode on real data (GOOG daily) and the demo universe, with the built-in examples run as
 * trusted in-process code. Every trial must equal a standalone backtest with its params.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBarsCsv } from "@/lib/data/csv";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { runBacktest } from "@/lib/modes/backtest";
import { runOptimize } from "@/lib/modes/optimize";
import { studySchema, type StudyInput } from "@/lib/schemas/study";
import { SpaceError } from "@/lib/optimize/space";
import { EXAMPLES } from "@/lib/sdk/examples";
import { localRunner } from "@/tests/helpers/local-runner";

const goog = parseBarsCsv(readFileSync("../shared/data/GOOG.csv", "utf8"), { symbol: "GOOG" }).series;
const sma = EXAMPLES["sma-cross"].source;
const clock = { now: () => 0 };
const study = (s: StudyInput) => studySchema.parse(s);

describe("optimize mode", () => {
  it("grid with a constraint: every trial's metrics equal a standalone in-sample backtest; holdout and honest figures reported", async () => {
    const r = await runOptimize({
      source: sma,
      runner: localRunner,
      universe: [goog],
      study: study({
        method: "grid",
        ranges: { fast: { min: 5, max: 30, step: 5 }, slow: { min: 10, max: 60, step: 10 } },
        constraints: ["fast < slow"],
      }),
      config: { costs: { commissionRate: 0.002 } },
      clock,
    });
    // fast ∈ {5..30} (6), slow ∈ {10..60} (6); slows above each fast: 5:6, 10:5, 15:5, 20:4, 25:4, 30:3 → 27
    expect(r.grid_size).toBe(27);
    expect(r.n_trials).toBe(27);
    expect(r.stop_reason).toBe("grid_exhausted");
    expect(r.trials.every((t) => (t.params.fast as number) < (t.params.slow as number))).toBe(true);
    const isEndMs = Date.parse(`${r.best!.in_sample.period.to}T00:00:00Z`);
    for (const t of r.trials.slice(0, 27).filter((_, i) => i % 6 === 0)) {
      const bt = await runBacktest({
        source: sma,
        runner: localRunner,
        universe: [goog],
        params: { ...t.params, short: false },
        config: { costs: { commissionRate: 0.002 } },
        toMs: isEndMs + 86_400_000 - 1,
        lookAhead: false,
      });
      expect(t.metrics!.sharpe).toBe(bt.performance_metrics.sharpe);
      expect(t.metrics!.total_return_pct).toBe(bt.performance_metrics.total_return_pct);
      expect(t.value).toBe(bt.performance_metrics.sharpe);
    }
    // 30 % holdout at the end
    const nBars = goog.close.length;
    expect(r.best!.in_sample.period.bars).toBe(nBars - Math.floor(nBars * 0.3));
    expect(r.best!.out_of_sample!.period.bars).toBe(Math.floor(nBars * 0.3));
    const bestVal = Math.max(...r.trials.map((t) => t.value ?? -Infinity));
    expect(r.best!.in_sample.metrics.sharpe).toBe(bestVal);
    // out-of-sample equals a standalone backtest from the holdout's first bar
    const oos = await runBacktest({
      source: sma,
      runner: localRunner,
      universe: [goog],
      params: r.best!.params as Record<string, number | boolean>,
      config: { costs: { commissionRate: 0.002 } },
      fromMs: goog.timestampsMs[nBars - Math.floor(nBars * 0.3)],
      lookAhead: false,
    });
    expect(r.best!.out_of_sample!.metrics.sharpe).toBe(oos.performance_metrics.sharpe);
    expect(r.overfitting.n_trials).toBe(27);
    expect(r.overfitting.dsr).not.toBeNull();
    expect(r.overfitting.pbo).not.toBeNull();
    expect(r.overfitting.t).toBe(r.best!.in_sample.period.bars - 1);
    expect(r.overfitting.sentence).toMatch(
      /^After 27 trials, the probability that this Sharpe reflects real skill is (\d+ %|over 99 %|under 1 %)/,
    );
    expect(Object.values(r.importance).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 10);
    for (let i = 1; i < r.best_so_far.length; i++)
      expect(r.best_so_far[i]!).toBeGreaterThanOrEqual(r.best_so_far[i - 1]!);
  });

  it("with a start date, trials warm their indicators up on the earlier bars, like a standalone backtest from that date", async () => {
    const fromMs = Date.UTC(2007, 0, 1);
    const r = await runOptimize({
      source: sma,
      runner: localRunner,
      universe: [goog],
      fromMs,
      study: study({
        method: "grid",
        ranges: { fast: { min: 10, max: 30, step: 10 }, slow: { min: 50, max: 150, step: 50 } },
        holdout: 0.25,
      }),
      clock,
    });
    expect(r.best!.in_sample.period.from >= "2007-01-01").toBe(true);
    const first = goog.timestampsMs.findIndex((t) => t >= fromMs);
    const n = goog.close.length - first;
    expect(r.best!.in_sample.period.bars).toBe(n - Math.floor(n * 0.25));
    const toMs = goog.timestampsMs[first + r.best!.in_sample.period.bars - 1];
    for (const t of r.trials) {
      const bt = await runBacktest({
        source: sma,
        runner: localRunner,
        universe: [goog],
        params: { ...t.params, short: false },
        fromMs,
        toMs,
        lookAhead: false,
      });
      expect(t.metrics!.sharpe).toBe(bt.performance_metrics.sharpe);
      expect(t.metrics!.num_trades).toBe(bt.performance_metrics.num_trades);
    }
  });

  it("walk-forward: 3 rolling folds, each re-optimized on its train window and tested on the next", async () => {
    const r = await runOptimize({
      source: sma,
      runner: localRunner,
      universe: [goog],
      study: study({
        method: "grid",
        ranges: { fast: { min: 10, max: 30, step: 10 }, slow: { min: 40, max: 80, step: 20 } },
        holdout: 0.2,
        walk_forward: { folds: 3, anchored: false },
      }),
      clock,
    });
    const wf = r.walk_forward!;
    expect(wf.folds.length).toBe(3);
    for (let i = 1; i < 3; i++) expect(wf.folds[i].train.from > wf.folds[i - 1].train.from).toBe(true);
    for (const f of wf.folds) expect(f.test.from > f.train.to).toBe(true);
    const testBars = wf.folds.reduce((s, f) => s + f.test.bars, 0);
    expect(wf.out_of_sample.equity.length).toBe(testBars);
    expect(wf.out_of_sample.metrics.sharpe === null || Number.isFinite(wf.out_of_sample.metrics.sharpe)).toBe(true);
    // the holdout stays unseen: the last test window ends where the in-sample period ends
    expect(wf.folds[2].test.to).toBe(r.best!.in_sample.period.to);
  });

  it("subset first on a sector-stratified sample, then the best K on the whole universe; TPE with ASHA pruning counts pruned trials", async () => {
    const demo = generateDemoUniverse({ symbols: 12, years: 3, seed: 42 }).symbols;
    const r = await runOptimize({
      source: sma,
      runner: localRunner,
      universe: demo.map((d) => d.series),
      fundamentals: Object.fromEntries(demo.map((d) => [d.symbol, d.fundamentals])),
      study: study({
        method: "tpe",
        trials: 30,
        seed: 5,
        ranges: { fast: { min: 5, max: 40 }, slow: { min: 20, max: 120 } },
        constraints: ["fast < slow"],
        subset: { n: 5, top: 2 },
        pruner: "asha",
      }),
      clock,
    });
    expect(r.subset!.symbols.length).toBe(5);
    expect(r.subset!.subset_results.length).toBe(2);
    expect(r.subset!.universe_results.map((x) => x.params)).toEqual(r.subset!.subset_results.map((x) => x.params));
    expect(r.n_pruned).toBeGreaterThan(0);
    expect(r.n_trials).toBe(30);
    expect(r.pruning_resource).toEqual({ kind: "universe", levels: [0.1, 0.3, 1] });
    expect(r.trials.filter((t) => t.state === "pruned").every((t) => t.metrics === null)).toBe(true);
  });

  it("refuses a grid over the limit and an unknown param, naming the field", async () => {
    const base = { source: sma, runner: localRunner, universe: [goog], clock };
    await expect(
      runOptimize({
        ...base,
        gridLimit: 50,
        study: study({ method: "grid", ranges: { fast: { min: 2, max: 50 }, slow: { min: 3, max: 60 } } }),
      }),
    ).rejects.toThrow(/over the limit of 50/);
    await expect(
      runOptimize({ ...base, study: study({ method: "tpe", trials: 5, ranges: { nope: { min: 1, max: 2 } } }) }),
    ).rejects.toBeInstanceOf(SpaceError);
    expect(studySchema.safeParse({ method: "tpe", trials: 0 }).success).toBe(false);
    expect(
      studySchema.safeParse({ method: "tpe", trials: 5, objectives: [{ metric: "bogus", direction: "maximize" }] })
        .success,
    ).toBe(false);
    expect(studySchema.safeParse({ ranges: { fast: { min: 5, max: 1 } }, trials: 3 }).success).toBe(false);
  });
});
