import { nanStd } from "./stats";

/**
 * Share of trades with a positive result, as a fraction in [0, 1]; a trade at exactly 0 is not
 * a win. NaN when there are no trades.
 */
export function winRate(tradeResults: ArrayLike<number>): number {
  if (tradeResults.length === 0) return NaN;
  let wins = 0;
  for (let i = 0; i < tradeResults.length; i++) if (tradeResults[i] > 0) wins++;
  return wins / tradeResults.length;
}

/**
 * Profit factor: gross profit / gross loss. Pass per-trade PnL in money for the textbook
 * definition (passing per-trade returns gives backtesting.py's variant).
 * +Infinity when there are winners but no losers; NaN when there are no trades or every
 * trade is exactly 0.
 */
export function profitFactor(tradeResults: ArrayLike<number>): number {
  let profit = 0;
  let loss = 0;
  for (let i = 0; i < tradeResults.length; i++) {
    const v = tradeResults[i];
    if (v > 0) profit += v;
    else if (v < 0) loss -= v;
  }
  if (loss === 0) return profit > 0 ? Infinity : NaN;
  return profit / loss;
}

/** Mean result per trade (a fraction when given returns). NaN when there are no trades. */
export function expectancy(tradeResults: ArrayLike<number>): number {
  if (tradeResults.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < tradeResults.length; i++) sum += tradeResults[i];
  return sum / tradeResults.length;
}

/**
 * System quality number (Van Tharp): `sqrt(n) * mean / std(ddof = 1)` of the trade results.
 * NaN with fewer than 2 trades; ±Infinity when all trades are equal and non-zero.
 */
export function sqn(tradeResults: ArrayLike<number>): number {
  const n = tradeResults.length;
  if (n < 2) return NaN;
  return (Math.sqrt(n) * expectancy(tradeResults)) / nanStd(tradeResults, 1);
}

/** Closed-trade columns; every given array has one entry per closed trade. */
export interface TradeColumns {
  /** Return of each trade as a fraction (0.05 = +5%), after costs. */
  returns: ArrayLike<number>;
  /** Profit or loss of each trade in money, after costs. Used for profit factor when given. */
  pnl?: ArrayLike<number>;
  /** Bars each trade was held. */
  barsHeld?: ArrayLike<number>;
}

/** Summary statistics of closed trades; NaN where a statistic needs more trades than exist. */
export interface TradeSummary {
  count: number;
  winRate: number;
  /** Gross profit / gross loss, of `pnl` when given, else of `returns`. */
  profitFactor: number;
  /** Mean trade return (fraction). */
  expectancy: number;
  sqn: number;
  bestReturn: number;
  worstReturn: number;
  averageReturn: number;
  averageBarsHeld: number;
  maxBarsHeld: number;
}

/** All trade statistics at once. Throws RangeError when the columns differ in length. */
export function summarizeTrades(trades: TradeColumns): TradeSummary {
  const { returns, pnl, barsHeld } = trades;
  const n = returns.length;
  for (const [name, col] of [
    ["pnl", pnl],
    ["barsHeld", barsHeld],
  ] as const) {
    if (col !== undefined && col.length !== n) {
      throw new RangeError(`summarizeTrades: ${name} has length ${col.length} but returns has length ${n}`);
    }
  }
  let best = -Infinity;
  let worst = Infinity;
  for (let i = 0; i < n; i++) {
    if (returns[i] > best) best = returns[i];
    if (returns[i] < worst) worst = returns[i];
  }
  let heldSum = 0;
  let heldMax = 0;
  if (barsHeld) {
    for (let i = 0; i < n; i++) {
      heldSum += barsHeld[i];
      if (barsHeld[i] > heldMax) heldMax = barsHeld[i];
    }
  }
  const mean = expectancy(returns);
  return {
    count: n,
    winRate: winRate(returns),
    profitFactor: profitFactor(pnl ?? returns),
    expectancy: mean,
    sqn: sqn(returns),
    bestReturn: n === 0 ? NaN : best,
    worstReturn: n === 0 ? NaN : worst,
    averageReturn: mean,
    averageBarsHeld: n === 0 || !barsHeld ? NaN : heldSum / n,
    maxBarsHeld: n === 0 || !barsHeld ? NaN : heldMax,
  };
}
