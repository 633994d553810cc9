/**
 * Built-in sweep kernels serving an optimization study directly.
 *
 * Two levels:
 * - {@link builtInSignals}: the built-in SMA-cross example's signals computed in-process with the
 *   SDK's own indicators (the same functions the sandbox bundles) — trusted code of ours, so a
 *   study of the example skips the sandbox round trip per trial, any universe, any config; every
 *   trial still gets the full `simulate` report and return series (the main search);
 * - {@link studyKernel}: the event-driven cross kernel for one symbol, objective values only (the
 *   walk-forward re-optimizations).
 * When the study's strategy is the
 * built-in SMA-cross example, the window is one symbol and the config is inside what the kernels
 * reproduce (`kernelSupports`: fraction sizing, no stops, no close-at-end), a trial's sharpe,
 * total_return_pct, max_drawdown_pct, num_trades and final_equity come from the event-driven cross
 * kernel (lib/engine/sweep-cross-kernel.ts) instead of strategy code + `simulate`: every SMA window
 * of the grid is computed once per study window and each trial walks its pair's crossing events.
 * The numbers equal a standalone backtest of the same params on the same window (tested); any
 * trial the kernel cannot reproduce returns null and goes through the full backtest.
 */
import type { BarSeries } from "@/lib/data/bars";
import { resolveConfig, type SimConfigInput } from "@/lib/engine/config";
import { periodsPerYearOf } from "@/lib/engine/report";
import { prepareCross } from "@/lib/engine/sweep-cross";
import { crossKernelConfig, runCrossEvents, type CrossKernelConfig } from "@/lib/engine/sweep-cross-kernel";
import { crossWindow, type CrossWindow } from "@/lib/engine/sweep-cross-window";
import { kernelSupports, type KernelStats } from "@/lib/engine/sweep-kernel";
import { gridValues, type SearchSpace } from "@/lib/optimize/space";
import type { SignalArrays } from "@/lib/engine/signals";
import type { StrategyInput } from "@/lib/sdk/bars";
import { EXAMPLES } from "@/lib/sdk/examples";
import { normalizeOutput } from "@/lib/sdk/normalize";
import { ta } from "@/lib/sdk/runtime";

/** The report keys a kernel trial carries. */
export const KERNEL_METRICS = ["final_equity", "total_return_pct", "max_drawdown_pct", "num_trades", "sharpe"] as const;
export type KernelMetric = (typeof KERNEL_METRICS)[number];
export type KernelReport = Record<KernelMetric, number | null>;

interface Prepared {
  win: CrossWindow;
  open: Float64Array;
  close: Float64Array;
  ppy: number;
}

/** A study's kernel: metrics of resolved params on a window [start, end) of one symbol. */
export interface StudyKernel {
  evaluate(params: Record<string, unknown>, series: BarSeries, start: number, end: number): KernelReport | null;
}

const nul = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Window lengths a param can take in the study (its grid values or its fixed value); null if not an int grid. */
function windowsOf(space: SearchSpace, name: string): number[] | null {
  const d = space.dists[name];
  if (!d) {
    const v = space.fixed[name];
    return typeof v === "number" && Number.isInteger(v) ? [v] : v === undefined ? [] : null;
  }
  if (d.type !== "int") return null;
  return gridValues(name, d) as number[];
}

/**
 * The kernel for a study, or null when no built-in kernel serves it (another strategy, a config
 * the kernels do not reproduce, objectives or constraints on metrics the kernel does not compute).
 */
export function studyKernel(
  source: string,
  space: SearchSpace,
  config: SimConfigInput,
  metricsNeeded: readonly string[],
): StudyKernel | null {
  if (!isSmaCross(source)) return null;
  if (!metricsNeeded.every((m) => (KERNEL_METRICS as readonly string[]).includes(m))) return null;
  let cfg;
  try {
    cfg = resolveConfig(config, 1);
  } catch {
    return null;
  }
  if (!kernelSupports(cfg)) return null;
  const fast = windowsOf(space, "fast"),
    slow = windowsOf(space, "slow");
  if (!fast || !slow) return null;
  const windows = new Set([...fast, ...slow, 10, 20]); // + the declared defaults
  if ([...windows].some((w) => w < 1)) return null;
  const kcfg: CrossKernelConfig = crossKernelConfig(cfg);
  const cache = new Map<string, Prepared>();
  const stats: KernelStats = { finalEquity: 0, numTrades: 0, maxDrawdown: 0, sharpe: 0 };
  return {
    evaluate(params, series, start, end) {
      const f = params.fast,
        s = params.slow,
        short = params.short === true;
      if (typeof f !== "number" || typeof s !== "number" || !windows.has(f) || !windows.has(s)) return null;
      const k = `${series.symbol}|${start}|${end}`;
      let p = cache.get(k);
      if (!p) {
        const close = series.close.subarray(start, end);
        const full = prepareCross(series.close.subarray(0, end), windows);
        p = {
          win: crossWindow(full, close, start),
          open: series.open.subarray(start, end),
          close,
          ppy: periodsPerYearOf(series.timestampsMs.subarray(start, end)),
        };
        cache.set(k, p);
      }
      const W = p.win.windows.length;
      const fi = p.win.windowIndex[f],
        si = p.win.windowIndex[s];
      // A fill on the window's first bar (close fills) is outside what the kernel accounts for.
      if (!kcfg.nextOpen && p.win.eventAtStart[Math.min(fi, si) * W + Math.max(fi, si)]) return null;
      runCrossEvents(p.open, p.close, p.win, f, s, short, kcfg, p.ppy, stats);
      return {
        final_equity: nul(stats.finalEquity),
        total_return_pct: nul((stats.finalEquity / kcfg.initialCash - 1) * 100),
        max_drawdown_pct: nul(stats.maxDrawdown * 100),
        num_trades: stats.numTrades,
        sharpe: nul(stats.sharpe),
      };
    },
  };
}

/** Signals of resolved params for every input, computed in-process. */
export type BuiltInSignals = (inputs: StrategyInput[], params: Record<string, unknown>) => SignalArrays[];

const isSmaCross = (source: string) => source.trim() === EXAMPLES["sma-cross"].source.trim();

/**
 * In-process signals for a built-in example's exact source (the SMA-cross example today), or null
 * for any other source (user code always goes through the runner). The computation is the
 * example's `signals` line for line, on the SDK's `ta`, normalized like the runner's output — the
 * same arrays, bit for bit (tested against the runner).
 */
export function builtInSignals(source: string): BuiltInSignals | null {
  if (!isSmaCross(source)) return null;
  return (inputs, p) =>
    inputs.map(({ symbol, bars }) => {
      const fast = ta.sma(bars.close, p.fast as number);
      const slow = ta.sma(bars.close, p.slow as number);
      const up = ta.crossover(fast, slow);
      const down = ta.crossunder(fast, slow);
      const score = new Float64Array(bars.close.length);
      for (let i = 0; i < score.length; i++) score[i] = (fast[i] / slow[i] - 1) * 100;
      const raw =
        p.short === true
          ? { entries: up, exits: down, shortEntries: down, shortExits: up, score }
          : { entries: up, exits: down, score };
      return normalizeOutput(raw, bars.close.length, symbol);
    });
}
