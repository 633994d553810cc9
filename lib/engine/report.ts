/**
 * Turns a {@link SimResult} into the flat metrics object of the CLI `--json` contract. Formulas and
 * conventions are in lib/engine/README.md ("Metrics").
 */
import {
  alphaBeta,
  annualVolatility,
  drawdownDurations,
  expectancy,
  maxDrawdown,
  periodsPerYearFromTimestamps,
  profitFactor,
  returnsFromEquity,
  sharpe,
  sortino,
  sqn,
  winRate,
} from "../metrics";
import type { SimResult } from "./types";

/** Metric keys, snake_case, units in the suffix (`_pct` = percent, `_bars` = bar count). */
export const REPORT_KEYS = [
  "final_equity",
  "total_return_pct",
  "cagr_pct",
  "volatility_pct",
  "sharpe",
  "sortino",
  "calmar",
  "max_drawdown_pct",
  "max_drawdown_duration_bars",
  "avg_drawdown_pct",
  "avg_drawdown_duration_bars",
  "exposure_pct",
  "num_trades",
  "win_rate_pct",
  "best_trade_pct",
  "worst_trade_pct",
  "avg_trade_pct",
  "profit_factor",
  "expectancy_pct",
  "sqn",
  "avg_trade_duration_bars",
  "max_trade_duration_bars",
  "buy_hold_return_pct",
  "alpha",
  "beta",
  "equity_peak",
  "num_open_positions",
  "total_commission",
  "periods_per_year",
  "num_bars",
] as const;

export type ReportKey = (typeof REPORT_KEYS)[number];

/**
 * Metric values. `null` wherever the value is undefined or not finite (no trades → no win rate,
 * no losing trade → no profit factor, zero variance → no Sharpe), so the object survives JSON as is.
 */
export type Report = Record<ReportKey, number | null>;

export interface ReportOptions {
  /** Bars per year for annualizing; default derived from the bar spacing (daily = 252). */
  periodsPerYear?: number;
}

const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

interface PpyMemo {
  length: number;
  first: number;
  last: number;
  ppy: number;
}
/** By array; typed arrays by their buffer and range, so every view of one series' bars shares an entry. */
const ppyMemo = new WeakMap<object, PpyMemo>();
const ppyByBuffer = new WeakMap<ArrayBufferLike, Map<string, PpyMemo>>();

function memoSlot(timestampsMs: ArrayLike<number>): { get(): PpyMemo | undefined; set(m: PpyMemo): void } {
  if (ArrayBuffer.isView(timestampsMs)) {
    const view = timestampsMs as unknown as Float64Array;
    const k = `${view.byteOffset}:${view.length}`;
    let byRange = ppyByBuffer.get(view.buffer);
    return {
      get: () => byRange?.get(k),
      set: (m) => {
        if (!byRange) ppyByBuffer.set(view.buffer, (byRange = new Map()));
        if (byRange.size > 64) byRange.clear();
        byRange.set(k, m);
      },
    };
  }
  return { get: () => ppyMemo.get(timestampsMs), set: (m) => void ppyMemo.set(timestampsMs, m) };
}

/**
 * Bars per year for annualizing, from the bar timestamps (`lib/metrics` `periodsPerYearFromTimestamps`:
 * daily sessions 252, markets trading through weekends 365, intraday = bars a day × days a year);
 * 252 when there are fewer than two bars. Remembered per timestamps array (checked against its
 * length and end points; typed arrays by buffer and range, so the windows a study slices out of
 * one series share it), since repeated backtests of one series would otherwise pay the O(n log n)
 * derivation (~0.2 ms on 2,520 bars) every time; bar arrays are treated as immutable.
 */
export function periodsPerYearOf(timestampsMs: ArrayLike<number>): number {
  const n = timestampsMs.length;
  if (n < 2) return 252;
  const slot = memoSlot(timestampsMs);
  const hit = slot.get();
  if (hit && hit.length === n && hit.first === timestampsMs[0] && hit.last === timestampsMs[n - 1]) return hit.ppy;
  const ppy = periodsPerYearFromTimestamps(timestampsMs);
  slot.set({ length: n, first: timestampsMs[0], last: timestampsMs[n - 1], ppy });
  return ppy;
}

/** Computes every metric of {@link REPORT_KEYS} from a simulation result (formulas from `lib/metrics`). */
export function buildReport(result: SimResult, options: ReportOptions = {}): Report {
  const eq = result.equity;
  const n = eq.length;
  const ppy = options.periodsPerYear ?? periodsPerYearOf(result.timestampsMs);
  const init = result.initialCash;
  const final = eq[n - 1];
  const r = returnsFromEquity(eq);

  let peak = init;
  for (let i = 0; i < n; i++) if (eq[i] > peak) peak = eq[i];
  const maxDd = maxDrawdown(eq).maxDrawdown;
  const dd = drawdownDurations(eq);
  // CAGR from the initial cash (not the first bar's equity, which is lower when a close fill pays
  // commission on bar 0), over the n - 1 bar intervals; consistent with total_return_pct.
  const years = (n - 1) / ppy;
  const cagr = years > 0 && final > 0 ? Math.pow(final / init, 1 / years) - 1 : NaN;

  let exposed = 0;
  for (let i = 0; i < n; i++) if (result.grossExposure[i] > 0) exposed++;

  const trades = result.trades;
  const nt = trades.length;
  const rets = new Float64Array(nt),
    pnls = new Float64Array(nt);
  let logSum = 0,
    maxHeld = 0,
    sumHeld = 0,
    comm = 0,
    best = -Infinity,
    worst = Infinity;
  for (let i = 0; i < nt; i++) {
    const t = trades[i];
    rets[i] = t.returnPct;
    pnls[i] = t.pnl;
    if (t.returnPct > best) best = t.returnPct;
    if (t.returnPct < worst) worst = t.returnPct;
    logSum += Math.log1p(t.returnPct / 100);
    sumHeld += t.barsHeld;
    if (t.barsHeld > maxHeld) maxHeld = t.barsHeld;
    comm += t.entryCommission + t.exitCommission;
  }
  for (const p of result.openPositions) comm += p.entryCommission;
  const { alpha, beta } =
    r.length >= 2 ? alphaBeta(r, returnsFromEquity(result.benchmarkEquity), ppy) : { alpha: NaN, beta: NaN };

  const report: Report = {
    final_equity: fin(final),
    total_return_pct: fin((final / init - 1) * 100),
    cagr_pct: fin(cagr * 100),
    volatility_pct: fin(annualVolatility(r, ppy) * 100),
    sharpe: fin(sharpe(r, ppy)),
    sortino: fin(sortino(r, ppy)),
    calmar: fin(maxDd < 0 ? cagr / -maxDd : NaN),
    max_drawdown_pct: maxDd * 100,
    max_drawdown_duration_bars: dd.maxDurationBars,
    avg_drawdown_pct: fin(dd.averageDrawdown * 100),
    avg_drawdown_duration_bars: fin(dd.averageDurationBars),
    exposure_pct: (exposed / n) * 100,
    num_trades: nt,
    win_rate_pct: fin(winRate(pnls) * 100),
    best_trade_pct: fin(nt ? best : NaN),
    worst_trade_pct: fin(nt ? worst : NaN),
    // Geometric mean trade return (backtesting.py's "Avg. Trade"), not the arithmetic expectancy.
    avg_trade_pct: fin(nt ? (Math.exp(logSum / nt) - 1) * 100 : NaN),
    profit_factor: fin(profitFactor(pnls)),
    expectancy_pct: fin(expectancy(rets)),
    sqn: fin(sqn(pnls)),
    avg_trade_duration_bars: fin(nt ? sumHeld / nt : NaN),
    max_trade_duration_bars: fin(nt ? maxHeld : NaN),
    buy_hold_return_pct: fin((result.benchmarkEquity[n - 1] / init - 1) * 100),
    alpha: fin(alpha),
    beta: fin(beta),
    equity_peak: fin(peak),
    num_open_positions: result.openPositions.length,
    total_commission: comm,
    periods_per_year: ppy,
    num_bars: n,
  };
  return report;
}
