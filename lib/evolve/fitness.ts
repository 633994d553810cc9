/**
 * Fitness of a genome: a 0–100 score built on the strategy grade (lib/metrics/grade.ts), measured
 * on an evaluation window that changes every generation, with a minimum trade count.
 *
 *   fitness = grade score on the window × min(1, trades / minTrades)
 *
 * The grade's components are Sharpe (30), max drawdown (25), regime consistency (20), crash
 * survival (15) and profit factor (10); see grade.ts for each formula. A genome with fewer closed
 * trades than `minTrades` in the window keeps only that share of its score, so the search cannot
 * converge on strategies that barely trade. Windows: each generation draws one contiguous window
 * of `windowFraction` of the bars (at least 252 bars, or all of them) at a random start, and every
 * individual of that generation is scored on it (elites are re-scored), so the population cannot
 * memorize one window. Signals are computed on the whole history first, so indicators are warm
 * at the window's first bar.
 */
import type { BarSeries } from "../data/bars";
import type { Rng } from "../data/rng";
import { buildReport } from "../engine/report";
import type { SignalArrays } from "../engine/signals";
import { simulate } from "../engine/simulate";
import type { SimConfigInput } from "../engine/config";
import { gradeStrategy } from "../metrics/grade";
import { kurtosis, perPeriodSharpe, skewness } from "../metrics/overfitting";
import { profitFactor, winRate } from "../metrics/trades";
import { evaluatePlan, type RulePlan } from "../rules";
import { isCodeGenome, type CodeGenome, type Genome } from "./genome";
import type { StrategyBars } from "../sdk/types";

/** A half-open range of bar indexes [start, end). */
export interface EvalWindow {
  start: number;
  end: number;
}

/** What one evaluation measured (numbers are null where undefined, e.g. no trades). */
export interface EvalMetrics {
  num_trades: number;
  /** Money profit factor; null without trades or without a losing trade (see `gate`). */
  profit_factor: number | null;
  win_rate_pct: number | null;
  sharpe: number | null;
  max_drawdown_pct: number | null;
  total_return_pct: number | null;
  grade_score: number;
  window_start_ms: number;
  window_end_ms: number;
}

export interface Evaluation {
  fitness: number;
  metrics: EvalMetrics;
  /** Raw gate inputs (profit factor is +Infinity with winners and no losers; NaN without trades). */
  gate: { profitFactor: number; winRatePct: number; numTrades: number };
  /** Shape of the window's bar returns, for the deflated Sharpe ratio of the top individuals. */
  returnsShape: { sharpe: number; skew: number; kurtosis: number; t: number };
}

/** The window of generation `rng`'s draw: `fraction` of `n` bars (at least 252, at most all) at a random start. */
export function drawWindow(n: number, fraction: number, rng: Rng): EvalWindow {
  const len = Math.min(n, Math.max(252, Math.round(n * fraction)));
  const start = rng.int(n - len + 1);
  return { start, end: start + len };
}

const DAY_MS = 86_400_000;

/**
 * The candidate backtest's window: the bars of the last `days` days (bar times in ms, ascending),
 * i.e. every bar whose time is at least the newest bar's time minus `days` days.
 */
export function candidateWindow(timestampsMs: ArrayLike<number>, days: number): EvalWindow {
  const n = timestampsMs.length;
  if (n === 0) return { start: 0, end: 0 };
  const from = timestampsMs[n - 1] - days * DAY_MS;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timestampsMs[mid] >= from) hi = mid;
    else lo = mid + 1;
  }
  return { start: lo, end: n };
}

const strategyBarsMemo = new WeakMap<BarSeries, StrategyBars>();
function strategyBars(s: BarSeries): StrategyBars {
  let b = strategyBarsMemo.get(s);
  if (!b) {
    b = {
      symbol: s.symbol,
      open: s.open,
      high: s.high,
      low: s.low,
      close: s.close,
      volume: s.volume,
      timestamps: s.timestampsMs,
    };
    strategyBarsMemo.set(s, b);
  }
  return b;
}

function sliceSeries(s: BarSeries, w: EvalWindow): BarSeries {
  return {
    symbol: s.symbol,
    timestampsMs: s.timestampsMs.subarray(w.start, w.end),
    open: s.open.subarray(w.start, w.end),
    high: s.high.subarray(w.start, w.end),
    low: s.low.subarray(w.start, w.end),
    close: s.close.subarray(w.start, w.end),
    volume: s.volume.subarray(w.start, w.end),
  };
}

/** The plan's signals on one symbol, cut to the window, in the engine's shape. */
export function planSignals(plan: RulePlan, series: BarSeries, w: EvalWindow): SignalArrays {
  const e = evaluatePlan(plan, strategyBars(series));
  const cut = <T extends Uint8Array | Float64Array>(a: T) => a.subarray(w.start, w.end) as T;
  const out: SignalArrays =
    plan.side === "long"
      ? { entries: cut(e.entries), exits: cut(e.exits) }
      : {
          entries: new Uint8Array(w.end - w.start),
          exits: new Uint8Array(w.end - w.start),
          shortEntries: cut(e.entries),
          shortExits: cut(e.exits),
        };
  if (e.stopLoss) out.stopLoss = cut(e.stopLoss);
  if (e.takeProfit) out.takeProfit = cut(e.takeProfit);
  if (e.score) out.score = cut(e.score);
  return out;
}

const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Signal arrays of the whole history cut to the window. */
export function cutSignals(e: SignalArrays, w: EvalWindow): SignalArrays {
  const out: SignalArrays = { entries: e.entries.subarray(w.start, w.end), exits: e.exits.subarray(w.start, w.end) };
  for (const k of ["shortEntries", "shortExits", "stopLoss", "takeProfit", "score"] as const) {
    const a = e[k];
    if (a) (out as unknown as Record<string, unknown>)[k] = a.subarray(w.start, w.end);
  }
  return out;
}

/**
 * Backtests the genome on the universe's bars inside the window and scores it (see the file
 * comment). A code genome's signals come from `codeSignals` (its code run with its params over
 * the whole history, one array set per symbol; the caller runs the sandbox).
 */
export function evaluateGenome(
  plan: Genome,
  universe: readonly BarSeries[],
  w: EvalWindow,
  opts: { minTrades: number; config?: SimConfigInput; codeSignals?: (g: CodeGenome) => SignalArrays[] },
): Evaluation {
  const bars = universe.map((s) => sliceSeries(s, w));
  let signals: SignalArrays[];
  if (isCodeGenome(plan)) {
    if (!opts.codeSignals) throw new Error("a code genome needs its signals (run its code first)");
    signals = opts.codeSignals(plan).map((x) => cutSignals(x, w));
  } else signals = universe.map((s) => planSignals(plan, s, w));
  const result = simulate(bars, signals, opts.config ?? {});
  const report = buildReport(result);
  const pnl = result.trades.map((t) => t.pnl);
  const n = result.trades.length;
  const pf = n > 0 ? profitFactor(pnl) : NaN;
  const wr = n > 0 ? winRate(pnl) * 100 : NaN;
  const grade = gradeStrategy({
    equity: result.equity,
    benchmark: result.benchmarkEquity,
    sharpe: report.sharpe ?? NaN,
    profitFactor: pf,
    numTrades: n,
  });
  const fitness = Math.round(grade.score * Math.min(1, opts.minTrades > 0 ? n / opts.minTrades : 1) * 10) / 10;
  const eq = result.equity;
  const rets = new Float64Array(Math.max(0, eq.length - 1));
  for (let i = 1; i < eq.length; i++) rets[i - 1] = eq[i] / eq[i - 1] - 1;
  return {
    fitness,
    metrics: {
      num_trades: n,
      profit_factor: fin(pf),
      win_rate_pct: fin(wr),
      sharpe: report.sharpe,
      max_drawdown_pct: report.max_drawdown_pct,
      total_return_pct: report.total_return_pct,
      grade_score: grade.score,
      window_start_ms: bars[0].timestampsMs[0],
      window_end_ms: bars[0].timestampsMs[bars[0].timestampsMs.length - 1],
    },
    gate: { profitFactor: pf, winRatePct: wr, numTrades: n },
    returnsShape: { sharpe: perPeriodSharpe(rets), skew: skewness(rets), kurtosis: kurtosis(rets), t: rets.length },
  };
}
