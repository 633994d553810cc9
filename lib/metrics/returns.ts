import { checkPeriodsPerYear, nanStd } from "./stats";

/**
 * Simple per-period returns of an equity curve: `equity[i + 1] / equity[i] - 1`, one fewer
 * value than the curve.
 */
export function returnsFromEquity(equity: ArrayLike<number>): Float64Array {
  const n = Math.max(equity.length - 1, 0);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = equity[i + 1] / equity[i] - 1;
  return out;
}

/** Growth of the curve over the whole run as a fraction (0.25 = +25%). NaN for an empty curve. */
export function totalReturn(equity: ArrayLike<number>): number {
  const n = equity.length;
  return n === 0 ? NaN : equity[n - 1] / equity[0] - 1;
}

/**
 * Compound annual growth rate as a fraction: `(last / first) ^ (periodsPerYear / periods) - 1`
 * where `periods = equity.length - 1` (the number of returns). NaN with fewer than 2 points.
 * @see empyrical annual_return / cagr
 */
export function cagr(equity: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear("cagr", periodsPerYear);
  const n = equity.length;
  if (n < 2) return NaN;
  return (equity[n - 1] / equity[0]) ** (periodsPerYear / (n - 1)) - 1;
}

/**
 * Annualized volatility: sample standard deviation (ddof = 1) of the returns times
 * `sqrt(periodsPerYear)`. NaN entries are skipped; NaN with fewer than 2 returns.
 * @see empyrical annual_volatility
 */
export function annualVolatility(returns: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear("annualVolatility", periodsPerYear);
  if (returns.length < 2) return NaN;
  return nanStd(returns, 1) * Math.sqrt(periodsPerYear);
}
