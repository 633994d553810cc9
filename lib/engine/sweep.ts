/**
 * Parameter sweeps: evaluate many combos of one strategy on one symbol. Indicator work shared by
 * combos is computed once in `prepare` (e.g. every SMA window once), each combo writes its signals
 * into reused buffers, and the allocation-free kernel (./sweep-kernel.ts) keeps only the ranking
 * statistics; the SMA crossover skips the buffers and walks precomputed crossing events
 * (./sweep-cross.ts, ./sweep-cross-kernel.ts). Configs the kernels cannot reproduce (stops,
 * non-fraction sizing, closeAtEnd) fall back to `simulate` + `buildReport`, so the numbers always
 * equal a full backtest of the same combo.
 */
import type { BarSeries } from "../data/bars";
import { resolveConfig, type SimConfigInput } from "./config";
import { buildReport, periodsPerYearOf } from "./report";
import { simulate } from "./simulate";
import { crossKernelConfig, runCrossEvents, type CrossKernelConfig } from "./sweep-cross-kernel";
import { sma } from "../indicators/trend/sma";
import {
  CrossLog,
  crossCacheOf,
  HEAP_ALLOC,
  planCross,
  prepareCross,
  runPart,
  type ArrayAlloc,
  type CrossCache,
  type CrossPlan,
} from "./sweep-cross";
import { kernelSupports, runKernel, type KernelStats, type SignalBuffers } from "./sweep-kernel";
import { validateUniverse } from "./validate";

export type { SignalBuffers } from "./sweep-kernel";
export type { ArrayAlloc } from "./sweep-cross";

/**
 * A strategy in sweepable form. `prepare` runs once per symbol and sweep (the worker pool runs it in
 * the calling thread with a shared-memory allocator and hands the result to every thread, so it
 * must return structured-clone-friendly data: typed arrays from `alloc`, numbers, plain objects);
 * `fill` writes one combo's signals into the buffers (every element, no stale values).
 * With `parted`, the pool runs the prepare itself spread over its threads instead.
 */
export interface SweepStrategy<P, C = unknown> {
  name: string;
  prepare(series: BarSeries, combos: readonly P[], alloc?: ArrayAlloc): C;
  /** Optional split of `prepare` into parts that threads run in parallel; must build the same cache. */
  parted?: PartedPrepare<P, C>;
  fill(cache: C, params: P, out: SignalBuffers): void;
  /** Whether `params` produce short signals (allocates the short buffers). */
  usesShort(params: P): boolean;
  /** Optional dedicated kernel; must give the same numbers as `fill` + the generic kernel. */
  runFused?(
    cache: C,
    params: P,
    series: BarSeries,
    cfg: CrossKernelConfig,
    periodsPerYear: number,
    out: KernelStats,
  ): void;
}

/**
 * A `prepare` in parts, for the worker pool. The calling thread runs `plan` (allocating everything
 * shared through `alloc`); then every part runs `part` on any thread, independently of the others;
 * once all have, every thread builds the cache with `cache`. When a part reports that it did not
 * fit, the job is planned again with the largest `room` the parts asked for. A plan is
 * structured-clone friendly.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface PartedPrepare<P, C, Plan = any, Scratch = any> {
  /** `room`: what the parts of an earlier plan of the same job asked for. */
  plan(series: BarSeries, combos: readonly P[], alloc: ArrayAlloc, parts: number, room?: number): Plan;
  parts(plan: Plan): number;
  /** `scratch`: thread-local memory an earlier part of this thread returned, to reuse. */
  part(plan: Plan, p: number, scratch: Scratch | undefined): { scratch: Scratch; room: number; fits: boolean };
  cache(plan: Plan): C;
}

/** Columnar sweep output, index i = combos[i]. */
export interface SweepResult {
  count: number;
  finalEquity: Float64Array;
  totalReturnPct: Float64Array;
  /** Negative percent, like `max_drawdown_pct` of the report. */
  maxDrawdownPct: Float64Array;
  numTrades: Int32Array;
  /** NaN where undefined (flat equity). */
  sharpe: Float64Array;
}

export interface SweepOptions {
  /** Bars per year for Sharpe; default from the bar spacing (daily = 252). */
  periodsPerYear?: number;
}

/** Allocates an empty result for `count` combos (through `alloc`: the pool's threads write into a shared one). */
export function emptySweepResult(count: number, alloc: ArrayAlloc = HEAP_ALLOC): SweepResult {
  return {
    count,
    finalEquity: alloc.f64(count),
    totalReturnPct: alloc.f64(count),
    maxDrawdownPct: alloc.f64(count),
    numTrades: alloc.i32(count),
    sharpe: alloc.f64(count),
  };
}

/** Evaluates every combo; result[i] equals `simulate` + `buildReport` on combo i's signals. */
export function runSweep<P, C>(
  series: BarSeries,
  strategy: SweepStrategy<P, C>,
  combos: readonly P[],
  config: SimConfigInput = {},
  options: SweepOptions = {},
): SweepResult {
  validateSweepInput(series);
  const cache = strategy.prepare(series, combos);
  const result = emptySweepResult(combos.length);
  runPreparedSweep(series, strategy, cache, combos, 0, combos.length, config, options, result);
  return result;
}

/** Checks the bars once per sweep (typed error naming the symbol and bar). */
export function validateSweepInput(series: BarSeries): void {
  const n = series.close.length;
  validateUniverse([series], [{ entries: new Uint8Array(n), exits: new Uint8Array(n) }]);
}

/**
 * Evaluates combos[start..end) with an already prepared cache and writes them at the same indices
 * of `result` (which may be shared between threads; each index is written by one caller only).
 * The bars must have been validated (`validateSweepInput`).
 */
export function runPreparedSweep<P, C>(
  series: BarSeries,
  strategy: SweepStrategy<P, C>,
  cache: C,
  combos: readonly P[],
  start: number,
  end: number,
  config: SimConfigInput,
  options: SweepOptions,
  result: SweepResult,
): void {
  const n = series.close.length;
  const cfg = resolveConfig(config, 1);
  const kcfg = crossKernelConfig(cfg);
  const ppy = options.periodsPerYear ?? periodsPerYearOf(series.timestampsMs);
  const stats: KernelStats = { finalEquity: 0, numTrades: 0, maxDrawdown: 0, sharpe: 0 };
  const fast = kernelSupports(cfg);
  // Signal buffers only for combos that need them (a fused kernel does not).
  let longView: SignalBuffers | null = null,
    shortView: SignalBuffers | null = null;
  for (let i = start; i < end; i++) {
    const p = combos[i];
    if (fast && strategy.runFused) {
      strategy.runFused(cache, p, series, kcfg, ppy, stats);
    } else {
      longView ??= { entries: new Uint8Array(n), exits: new Uint8Array(n), shortEntries: null, shortExits: null };
      const view = strategy.usesShort(p)
        ? (shortView ??= { ...longView, shortEntries: new Uint8Array(n), shortExits: new Uint8Array(n) })
        : longView;
      strategy.fill(cache, p, view);
      if (fast) runKernel(series.open, series.close, view, cfg, ppy, stats);
      else {
        const sig = {
          entries: view.entries,
          exits: view.exits,
          shortEntries: view.shortEntries ?? undefined,
          shortExits: view.shortExits ?? undefined,
        };
        const rep = buildReport(simulate([series], [sig], config), { periodsPerYear: ppy });
        stats.finalEquity = rep.final_equity ?? NaN;
        stats.numTrades = rep.num_trades ?? 0;
        stats.maxDrawdown = (rep.max_drawdown_pct ?? NaN) / 100;
        stats.sharpe = rep.sharpe ?? NaN;
      }
    }
    result.finalEquity[i] = stats.finalEquity;
    result.totalReturnPct[i] = (stats.finalEquity / cfg.initialCash - 1) * 100;
    result.maxDrawdownPct[i] = stats.maxDrawdown * 100;
    result.numTrades[i] = stats.numTrades;
    result.sharpe[i] = stats.sharpe;
  }
}

/** Every (fast, slow) pair with `min <= fast < slow <= max` (4,851 pairs for 2..100). */
export function crossoverGrid(min: number, max: number, short = false): SmaCrossParams[] {
  const out: SmaCrossParams[] = [];
  for (let f = min; f <= max; f++) for (let s = f + 1; s <= max; s++) out.push({ fast: f, slow: s, short });
  return out;
}

/** Parameters of the SMA crossover: long on fast crossing above slow; exit (or reverse when `short`) on crossing below. */
export interface SmaCrossParams {
  fast: number;
  slow: number;
  short: boolean;
}

function crossWindows(combos: readonly SmaCrossParams[]): Set<number> {
  const windows = new Set<number>();
  for (const c of combos) {
    windows.add(c.fast);
    windows.add(c.slow);
  }
  return windows;
}

/**
 * SMA crossover on close in sweepable form (SMA = `lib/indicators` `sma`). Crossover at bar i:
 * `fast[i-1] < slow[i-1] && fast[i] > slow[i]` (NaN warm-up never crosses). `prepare` finds every
 * pair's crossing bars (./sweep-cross.ts), in parts by bar range on the pool; the kernel walks
 * those events. `fill` (configs the kernel does not cover) computes the combo's two SMAs.
 */
export const smaCrossSweep: SweepStrategy<SmaCrossParams, CrossCache> = {
  name: "sma-cross",
  prepare(series, combos, alloc) {
    return prepareCross(series.close, crossWindows(combos), alloc);
  },
  parted: {
    plan: (series, combos, alloc, parts, room): CrossPlan =>
      planCross(series.close, crossWindows(combos), alloc, parts, room),
    parts: (plan: CrossPlan) => plan.bounds.length - 1,
    part(plan: CrossPlan, p, scratch: CrossLog | undefined) {
      const { log, room, fits } = runPart(plan, p, scratch);
      return { scratch: log, room, fits };
    },
    cache: (plan: CrossPlan) => crossCacheOf(plan, plan.eventSpace),
  },
  fill(cache, p, out) {
    const fi = cache.windowIndex[p.fast] ?? -1,
      si = cache.windowIndex[p.slow] ?? -1;
    if (fi < 0 || si < 0) throw new Error(`sma-cross: window ${p.fast}/${p.slow} was not prepared`);
    const n = cache.bars;
    const fastSma = sma(cache.close, p.fast),
      slowSma = sma(cache.close, p.slow);
    const up = out.entries,
      dn = p.short ? out.shortEntries : out.exits;
    const other = p.short ? out.exits : out.shortEntries;
    if (!dn) throw new Error("sma-cross: short buffers missing");
    up[0] = 0;
    dn[0] = 0;
    for (let i = 1; i < n; i++) {
      const a0 = fastSma[i - 1],
        b0 = slowSma[i - 1],
        a1 = fastSma[i],
        b1 = slowSma[i];
      up[i] = a0 < b0 && a1 > b1 ? 1 : 0;
      dn[i] = a0 > b0 && a1 < b1 ? 1 : 0;
    }
    other?.fill(0);
    out.shortExits?.fill(0);
  },
  usesShort: (p) => p.short,
  runFused(cache, p, series, cfg, ppy, out) {
    runCrossEvents(series.open, series.close, cache, p.fast, p.slow, p.short, cfg, ppy, out);
  },
};
