/**
 * Parameter sweeps: evaluate many combos of one strategy on one symbol. Indicator work shared by
 * combos is computed once in `prepare` (e.g. every SMA window once), each combo writes its signals
 * into reused buffers, and the allocation-free kernel (./sweep-kernel.ts) keeps only the ranking
 * statistics. Configs the kernel cannot reproduce (stops, non-fraction sizing, closeAtEnd) fall back
 * to `simulate` + `buildReport`, so the numbers always equal a full backtest of the same combo.
 */
import type { BarSeries } from "../data/bars";
import { resolveConfig, type SimConfigInput } from "./config";
import { buildReport } from "./report";
import { simulate } from "./simulate";
import { periodsPerYearFromGaps } from "./stats";
import type { ResolvedConfig } from "./config";
import { kernelSupports, runCrossKernel, runKernel, type KernelStats, type SignalBuffers } from "./sweep-kernel";
import { validateUniverse } from "./validate";

export type { SignalBuffers } from "./sweep-kernel";

/**
 * A strategy in sweepable form. `prepare` runs once per symbol and sweep (or worker chunk);
 * `fill` writes one combo's signals into the buffers (every element, no stale values).
 */
export interface SweepStrategy<P, C = unknown> {
  name: string;
  prepare(series: BarSeries, combos: readonly P[]): C;
  fill(cache: C, params: P, out: SignalBuffers): void;
  /** Whether `params` produce short signals (allocates the short buffers). */
  usesShort(params: P): boolean;
  /** Optional fused kernel (signals derived inside the loop); must equal `fill` + the generic kernel. */
  runFused?(cache: C, params: P, series: BarSeries, cfg: ResolvedConfig, periodsPerYear: number, out: KernelStats): void;
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

/** Allocates an empty result for `count` combos. */
export function emptySweepResult(count: number): SweepResult {
  return {
    count,
    finalEquity: new Float64Array(count), totalReturnPct: new Float64Array(count), maxDrawdownPct: new Float64Array(count),
    numTrades: new Int32Array(count), sharpe: new Float64Array(count),
  };
}

/** Evaluates every combo; result[i] equals `simulate` + `buildReport` on combo i's signals. */
export function runSweep<P, C>(
  series: BarSeries, strategy: SweepStrategy<P, C>, combos: readonly P[], config: SimConfigInput = {}, options: SweepOptions = {},
): SweepResult {
  const n = series.close.length;
  const buffers: SignalBuffers = { entries: new Uint8Array(n), exits: new Uint8Array(n), shortEntries: null, shortExits: null };
  validateUniverse([series], [{ entries: buffers.entries, exits: buffers.exits }]);
  const cfg = resolveConfig(config, 1);
  const ppy = options.periodsPerYear ?? periodsPerYearFromGaps(series.timestampsMs);
  const cache = strategy.prepare(series, combos);
  const result = emptySweepResult(combos.length);
  const stats: KernelStats = { finalEquity: 0, numTrades: 0, maxDrawdown: 0, sharpe: 0 };
  const fast = kernelSupports(cfg);
  const longView: SignalBuffers = buffers;
  let shortView: SignalBuffers | null = null;
  for (let i = 0; i < combos.length; i++) {
    const p = combos[i];
    const view = strategy.usesShort(p)
      ? (shortView ??= { ...buffers, shortEntries: new Uint8Array(n), shortExits: new Uint8Array(n) })
      : longView;
    if (fast && strategy.runFused) {
      strategy.runFused(cache, p, series, cfg, ppy, stats);
    } else if (fast) {
      strategy.fill(cache, p, view);
      runKernel(series.open, series.close, view, cfg, ppy, stats);
    } else {
      strategy.fill(cache, p, view);
      const sig = { entries: view.entries, exits: view.exits, shortEntries: view.shortEntries ?? undefined, shortExits: view.shortExits ?? undefined };
      const rep = buildReport(simulate([series], [sig], config), { periodsPerYear: ppy });
      stats.finalEquity = rep.final_equity ?? NaN;
      stats.numTrades = rep.num_trades ?? 0;
      stats.maxDrawdown = (rep.max_drawdown_pct ?? NaN) / 100;
      stats.sharpe = rep.sharpe ?? NaN;
    }
    result.finalEquity[i] = stats.finalEquity;
    result.totalReturnPct[i] = (stats.finalEquity / cfg.initialCash - 1) * 100;
    result.maxDrawdownPct[i] = stats.maxDrawdown * 100;
    result.numTrades[i] = stats.numTrades;
    result.sharpe[i] = stats.sharpe;
  }
  return result;
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

/** Simple moving average with a running sum, NaN for the first `w - 1` bars. */
function rollingMean(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i];
    if (i >= w) s -= x[i - w];
    if (i >= w - 1) out[i] = s / w;
  }
  return out;
}

/**
 * SMA crossover on close in sweepable form. Crossover at bar i: `fast[i-1] < slow[i-1] && fast[i] > slow[i]`
 * (NaN warm-up never crosses). Each window is computed once per `prepare`.
 */
export const smaCrossSweep: SweepStrategy<SmaCrossParams, Map<number, Float64Array>> = {
  name: "sma-cross",
  prepare(series, combos) {
    const cache = new Map<number, Float64Array>();
    for (const c of combos) {
      if (!cache.has(c.fast)) cache.set(c.fast, rollingMean(series.close, c.fast));
      if (!cache.has(c.slow)) cache.set(c.slow, rollingMean(series.close, c.slow));
    }
    return cache;
  },
  fill(cache, p, out) {
    const f = cache.get(p.fast), s = cache.get(p.slow);
    if (!f || !s) throw new Error(`sma-cross: window ${p.fast}/${p.slow} was not prepared`);
    const up = out.entries, dn = p.short ? out.shortEntries : out.exits;
    const other = p.short ? out.exits : out.shortEntries;
    if (!dn) throw new Error("sma-cross: short buffers missing");
    up[0] = 0;
    dn[0] = 0;
    for (let i = 1; i < f.length; i++) {
      const a0 = f[i - 1], b0 = s[i - 1], a1 = f[i], b1 = s[i];
      up[i] = a0 < b0 && a1 > b1 ? 1 : 0;
      dn[i] = a0 > b0 && a1 < b1 ? 1 : 0;
    }
    other?.fill(0);
    out.shortExits?.fill(0);
  },
  usesShort: (p) => p.short,
  runFused(cache, p, series, cfg, ppy, out) {
    const f = cache.get(p.fast), s = cache.get(p.slow);
    if (!f || !s) throw new Error(`sma-cross: window ${p.fast}/${p.slow} was not prepared`);
    runCrossKernel(series.open, series.close, f, s, p.short, cfg, ppy, out);
  },
};
