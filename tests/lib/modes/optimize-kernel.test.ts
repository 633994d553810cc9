/**
 * The SMA-cross sweep kernel serving a study's grid: on GOOG daily, for a handful of combos and
 * windows, its metrics equal a standalone backtest of the same params over the same dates
 * (signals on the history up to the window's end, simulation over the window); a walk-forward
 * study gives the same folds with the kernel as with one full backtest per trial.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBarsCsv } from "@/lib/data/csv";
import { runBacktest } from "@/lib/modes/backtest";
import { runOptimize } from "@/lib/modes/optimize";
import { builtInSignals, KERNEL_METRICS, studyKernel } from "@/lib/modes/optimize-kernel";
import type { StrategyRunner } from "@/lib/modes/runner";
import { toStrategyInput } from "@/lib/sdk/bars";
import { buildSearchSpace } from "@/lib/optimize/space";
import { studySchema } from "@/lib/schemas/study";
import { EXAMPLES } from "@/lib/sdk/examples";
import { localRunner } from "@/tests/helpers/local-runner";

const goog = parseBarsCsv(readFileSync("../shared/data/GOOG.csv", "utf8"), { symbol: "GOOG" }).series;
const src = EXAMPLES["sma-cross"].source;
const specs = {
  fast: { type: "int", min: 2, max: 200, default: 10 },
  slow: { type: "int", min: 3, max: 400, default: 20 },
  short: { type: "boolean", default: false },
} as const;

describe("SMA-cross kernel for studies", () => {
  const space = buildSearchSpace(specs, {
    ranges: [
      { name: "fast", min: 5, max: 50, step: 5 },
      { name: "slow", min: 10, max: 200, step: 10 },
    ],
    choices: [{ name: "short", choices: [false, true] }],
    constraints: [],
  });
  const combos = [
    { fast: 5, slow: 20, short: false },
    { fast: 10, slow: 50, short: false },
    { fast: 20, slow: 100, short: true },
    { fast: 45, slow: 200, short: false },
    { fast: 50, slow: 30, short: true },
  ];
  const n = goog.close.length;
  const windows = [
    [0, n],
    [Math.floor(n * 0.3), Math.floor(n * 0.7)],
    [Math.floor(n * 0.5), n],
  ];
  for (const config of [{ costs: { commissionRate: 0.002 }, allowShort: true }, { fill: "close" as const }]) {
    it(`equals standalone backtests (${JSON.stringify(config)})`, async () => {
      const kernel = studyKernel(src, space, config, ["sharpe"])!;
      expect(kernel).not.toBeNull();
      let served = 0;
      for (const [start, end] of windows) {
        for (const p of combos) {
          const km = kernel.evaluate(p, goog, start, end);
          const bt = await runBacktest({
            source: src,
            runner: localRunner,
            universe: [goog],
            params: p,
            config,
            fromMs: goog.timestampsMs[start],
            toMs: goog.timestampsMs[end - 1],
            lookAhead: false,
          });
          const m = bt.performance_metrics as Record<string, number | null>;
          if (km === null) continue; // a close fill on the window's first bar: the full backtest serves it
          served++;
          expect(km.num_trades).toBe(m.num_trades);
          expect(km.final_equity).toBeCloseTo(m.final_equity!, 8);
          expect(km.total_return_pct).toBeCloseTo(m.total_return_pct!, 8);
          expect(km.max_drawdown_pct).toBeCloseTo(m.max_drawdown_pct!, 8);
          expect(km.sharpe! / m.sharpe! - 1).toBeLessThan(1e-9);
          expect(m.num_trades).toBeGreaterThan(0);
        }
      }
      expect(served).toBeGreaterThanOrEqual(12);
    });
  }

  it("is not used for other strategies, stop configs or metrics it does not compute", () => {
    expect(studyKernel(EXAMPLES["breakout"].source, space, {}, ["sharpe"])).toBeNull();
    expect(studyKernel(src, space, { stops: { stopLossPct: 0.05 } }, ["sharpe"])).toBeNull();
    expect(studyKernel(src, space, {}, ["sortino"])).toBeNull();
    expect(KERNEL_METRICS).toContain("sharpe");
  });

  it("a walk-forward study picks the same params and values with and without the kernel", async () => {
    const study = studySchema.parse({
      method: "grid",
      ranges: { fast: { min: 5, max: 30, step: 5 }, slow: { min: 20, max: 120, step: 20 } },
      constraints: ["fast < slow"],
      holdout: 0.2,
      min_trades: 2,
      walk_forward: { folds: 3 },
    });
    const base = {
      source: src,
      runner: localRunner,
      universe: [goog],
      study,
      config: { costs: { commissionRate: 0.002 } },
      clock: { now: () => 0 },
    };
    const a = await runOptimize(base);
    const b = await runOptimize({ ...base, kernels: false });
    expect(a.walk_forward!.folds.length).toBe(3);
    a.walk_forward!.folds.forEach((f, i) => {
      const g = b.walk_forward!.folds[i];
      expect(f.params).toEqual(g.params);
      expect(f.in_sample_value!).toBeCloseTo(g.in_sample_value!, 9);
      expect(f.metrics).toEqual(g.metrics);
    });
    expect(a.walk_forward!.efficiency).toBeCloseTo(b.walk_forward!.efficiency!, 9);
  });

  it("the example's in-process signals equal the runner's, array for array and bit for bit", async () => {
    const nvda = parseBarsCsv(readFileSync("../shared/data/nvda-1999-2014.csv", "utf8"), { symbol: "NVDA" }).series;
    const inputs = [goog, nvda].map((s) => toStrategyInput(s));
    const native = builtInSignals(src)!;
    expect(builtInSignals(EXAMPLES["breakout"].source)).toBeNull();
    expect(builtInSignals(src.replace("(fast[i] / slow[i] - 1) * 100", "fast[i] - slow[i]"))).toBeNull();
    for (const params of [
      { fast: 10, slow: 20, short: false },
      { fast: 3, slow: 150, short: true },
      { fast: 60, slow: 7, short: true },
      { fast: 2, slow: 3, short: false },
    ]) {
      const want = await localRunner.signals(src, inputs, params);
      const got = native(inputs, params);
      got.forEach((g, k) => {
        for (const key of ["entries", "exits", "shortEntries", "shortExits", "score"] as const) {
          const a = g[key],
            b = want[k][key];
          expect(a === undefined || a === null).toBe(b === undefined || b === null);
          if (!a || !b) continue;
          expect(a.constructor).toBe(b.constructor);
          expect(a.length).toBe(b.length);
          for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect([key, i, a[i]]).toEqual([key, i, b[i]]);
        }
      });
    }
  });

  it("a study of the example never calls the runner per trial, and its trials equal the runner's", async () => {
    let calls = 0;
    const counting: StrategyRunner = {
      inspect: (s) => localRunner.inspect(s),
      signals: (s, i, p) => {
        calls++;
        return localRunner.signals(s, i, p);
      },
    };
    const nvda = parseBarsCsv(readFileSync("../shared/data/nvda-1999-2014.csv", "utf8"), { symbol: "NVDA" }).series;
    const from = Math.max(goog.timestampsMs[0], nvda.timestampsMs[0]);
    const to = Math.min(
      goog.timestampsMs[goog.timestampsMs.length - 1],
      nvda.timestampsMs[nvda.timestampsMs.length - 1],
    );
    const common = (s: typeof goog) => {
      const keep = Array.from(s.timestampsMs.keys()).filter(
        (i) => s.timestampsMs[i] >= from && s.timestampsMs[i] <= to,
      );
      const pick = (x: Float64Array) => Float64Array.from(keep, (i) => x[i]);
      return {
        ...s,
        timestampsMs: pick(s.timestampsMs),
        open: pick(s.open),
        high: pick(s.high),
        low: pick(s.low),
        close: pick(s.close),
        volume: pick(s.volume),
      };
    };
    const universe = [common(goog), common(nvda)];
    const base = {
      source: src,
      runner: counting,
      universe,
      study: studySchema.parse({
        method: "random",
        trials: 25,
        seed: 3,
        ranges: { fast: { min: 2, max: 40 }, slow: { min: 5, max: 120 } },
        choices: { short: [false, true] },
        holdout: 0.25,
      }),
      config: { costs: { commissionRate: 0.001 } },
      clock: { now: () => 0 },
    };
    const a = await runOptimize(base);
    const servedCalls = calls;
    calls = 0;
    const b = await runOptimize({ ...base, kernels: false });
    // only the best trial's out-of-sample backtest goes through the runner (a standalone backtest)
    expect(servedCalls).toBe(1);
    expect(calls).toBeGreaterThanOrEqual(25);
    expect(a.trials).toEqual(b.trials);
    expect(a.overfitting).toEqual(b.overfitting);
    expect(a.best).toEqual(b.best);
  });
});
