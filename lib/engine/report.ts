/**
 * Turns a {@link SimResult} into the flat metrics object of the CLI `--json` contract. Formulas and
 * conventions are in lib/engine/README.md ("Metrics").
 */
import type { SimResult } from "./types";
import {
  drawdownEpisodes, mean, periodsPerYearFromGaps, sharpeRatio, simpleReturns, sortinoRatio, stdSample,
} from "./stats";

/** Metric keys, snake_case, units in the suffix (`_pct` = percent, `_bars` = bar count). */
export const REPORT_KEYS = [
  "final_equity", "total_return_pct", "cagr_pct", "volatility_pct", "sharpe", "sortino", "calmar",
  "max_drawdown_pct", "max_drawdown_duration_bars", "avg_drawdown_pct", "avg_drawdown_duration_bars",
  "exposure_pct", "num_trades", "win_rate_pct", "best_trade_pct", "worst_trade_pct", "avg_trade_pct",
  "profit_factor", "expectancy_pct", "sqn", "avg_trade_duration_bars", "max_trade_duration_bars",
  "buy_hold_return_pct", "alpha", "beta",
  "equity_peak", "num_open_positions", "total_commission", "periods_per_year", "num_bars",
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

/** Computes every metric of {@link REPORT_KEYS} from a simulation result. */
export function buildReport(result: SimResult, options: ReportOptions = {}): Report {
  const eq = result.equity;
  const n = eq.length;
  const ppy = options.periodsPerYear ?? periodsPerYearFromGaps(result.timestampsMs);
  const init = result.initialCash;
  const final = eq[n - 1];
  const r = simpleReturns(eq);
  const rb = simpleReturns(result.benchmarkEquity);

  let peak = init;
  for (let i = 0; i < n; i++) if (eq[i] > peak) peak = eq[i];
  const episodes = drawdownEpisodes(eq);
  let maxDd = 0, maxDur = 0, sumDepth = 0, sumDur = 0;
  for (const e of episodes) {
    if (e.depth < maxDd) maxDd = e.depth;
    const dur = e.endBar - e.peakBar;
    if (dur > maxDur) maxDur = dur;
    sumDepth += e.depth;
    sumDur += dur;
  }
  const years = (n - 1) / ppy;
  const cagr = years > 0 && final > 0 ? Math.pow(final / init, 1 / years) - 1 : NaN;

  let exposed = 0;
  for (let i = 0; i < n; i++) if (result.grossExposure[i] > 0) exposed++;

  const trades = result.trades;
  const rets = trades.map((t) => t.returnPct);
  const pnls = trades.map((t) => t.pnl);
  let wins = 0, grossWin = 0, grossLoss = 0, logSum = 0, maxHeld = 0, sumHeld = 0, comm = 0;
  for (const t of trades) {
    if (t.pnl > 0) { wins++; grossWin += t.pnl; } else grossLoss -= t.pnl;
    logSum += Math.log1p(t.returnPct / 100);
    sumHeld += t.barsHeld;
    if (t.barsHeld > maxHeld) maxHeld = t.barsHeld;
    comm += t.entryCommission + t.exitCommission;
  }
  for (const p of result.openPositions) comm += p.entryCommission;
  const nt = trades.length;
  const sdPnl = stdSample(pnls);

  // Beta = cov(r, rb) / var(rb) (both ddof 1); alpha = (1 + mean(r - beta·rb))^ppy - 1 (empyrical).
  let beta = NaN, alpha = NaN;
  const vb = stdSample(rb);
  if (r.length >= 2 && vb > 0) {
    const mr = mean(r), mb = mean(rb);
    let cov = 0;
    for (let i = 0; i < r.length; i++) cov += (r[i] - mr) * (rb[i] - mb);
    beta = cov / (r.length - 1) / (vb * vb);
    alpha = Math.pow(1 + (mr - beta * mb), ppy) - 1;
  }

  const report: Report = {
    final_equity: fin(final),
    total_return_pct: fin((final / init - 1) * 100),
    cagr_pct: fin(cagr * 100),
    volatility_pct: fin(stdSample(r) * Math.sqrt(ppy) * 100),
    sharpe: fin(sharpeRatio(r, ppy)),
    sortino: fin(sortinoRatio(r, ppy)),
    calmar: fin(maxDd < 0 ? cagr / -maxDd : NaN),
    max_drawdown_pct: maxDd * 100,
    max_drawdown_duration_bars: maxDur,
    avg_drawdown_pct: fin(episodes.length ? (sumDepth / episodes.length) * 100 : NaN),
    avg_drawdown_duration_bars: fin(episodes.length ? sumDur / episodes.length : NaN),
    exposure_pct: (exposed / n) * 100,
    num_trades: nt,
    win_rate_pct: fin(nt ? (wins / nt) * 100 : NaN),
    best_trade_pct: fin(nt ? Math.max(...rets) : NaN),
    worst_trade_pct: fin(nt ? Math.min(...rets) : NaN),
    avg_trade_pct: fin(nt ? (Math.exp(logSum / nt) - 1) * 100 : NaN),
    profit_factor: fin(grossLoss > 0 ? grossWin / grossLoss : NaN),
    expectancy_pct: fin(mean(rets)),
    sqn: fin(sdPnl > 0 ? (Math.sqrt(nt) * mean(pnls)) / sdPnl : NaN),
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
