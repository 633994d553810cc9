import { maxDrawdown } from "./drawdown";
import { cagr } from "./returns";
import { checkPerPeriod, checkPeriodsPerYear, minus, nanMean, nanStd, type PerPeriod, valueAt } from "./stats";

/**
 * Annualized Sharpe ratio: `mean(r - rf) / std(r - rf, ddof = 1) * sqrt(periodsPerYear)`.
 * `riskFree` is a PER-PERIOD rate (a number or one value per period), default 0.
 * NaN with fewer than 2 returns or when mean and std are both 0; ±Infinity when the excess
 * returns are constant and non-zero. NaN entries are skipped.
 * @see empyrical sharpe_ratio
 */
export function sharpe(returns: ArrayLike<number>, periodsPerYear: number, riskFree: PerPeriod = 0): number {
  checkPeriodsPerYear("sharpe", periodsPerYear);
  checkPerPeriod("sharpe", "riskFree", riskFree, returns.length);
  if (returns.length < 2) return NaN;
  const excess = minus(returns, riskFree);
  return (nanMean(excess) / nanStd(excess, 1)) * Math.sqrt(periodsPerYear);
}

/**
 * Annualized downside deviation below `requiredReturn` (per period, default 0):
 * `sqrt(mean(min(r - required, 0)^2)) * sqrt(periodsPerYear)`, the mean taken over ALL
 * (non-NaN) periods — population form, as empyrical. NaN for no returns.
 * @see empyrical downside_risk
 */
export function downsideRisk(
  returns: ArrayLike<number>,
  periodsPerYear: number,
  requiredReturn: PerPeriod = 0,
): number {
  checkPeriodsPerYear("downsideRisk", periodsPerYear);
  checkPerPeriod("downsideRisk", "requiredReturn", requiredReturn, returns.length);
  let ss = 0;
  let count = 0;
  for (let i = 0; i < returns.length; i++) {
    const d = returns[i] - valueAt(requiredReturn, i);
    if (d !== d) continue;
    if (d < 0) ss += d * d;
    count++;
  }
  return count === 0 ? NaN : Math.sqrt(ss / count) * Math.sqrt(periodsPerYear);
}

/**
 * Annualized Sortino ratio: `mean(r - required) * periodsPerYear / downsideRisk(r, required)`.
 * NaN with fewer than 2 returns; +Infinity when no period falls below `requiredReturn` but
 * the mean excess is positive; NaN when both are 0.
 * @see empyrical sortino_ratio
 */
export function sortino(returns: ArrayLike<number>, periodsPerYear: number, requiredReturn: PerPeriod = 0): number {
  checkPeriodsPerYear("sortino", periodsPerYear);
  checkPerPeriod("sortino", "requiredReturn", requiredReturn, returns.length);
  if (returns.length < 2) return NaN;
  const mean = nanMean(minus(returns, requiredReturn)) * periodsPerYear;
  return mean / downsideRisk(returns, periodsPerYear, requiredReturn);
}

/**
 * Calmar ratio: CAGR / |max drawdown| of the equity curve. NaN when the curve never fell
 * below a peak (no drawdown to divide by) or has fewer than 2 points.
 * @see empyrical calmar_ratio
 */
export function calmar(equity: ArrayLike<number>, periodsPerYear: number): number {
  const dd = maxDrawdown(equity).maxDrawdown;
  if (!(dd < 0)) return NaN;
  const ratio = cagr(equity, periodsPerYear) / -dd;
  return Number.isFinite(ratio) ? ratio : NaN;
}

/**
 * Omega ratio: with `d = r - riskFree - threshold`, `sum(d > 0) / -sum(d < 0)`.
 * `requiredReturn` is ANNUAL, turned into a per-period threshold
 * `(1 + requiredReturn) ^ (1 / periodsPerYear) - 1` (no conversion when periodsPerYear is 1).
 * NaN with fewer than 2 returns, `requiredReturn <= -1`, or no period below the threshold.
 * @see empyrical omega_ratio
 */
export function omega(
  returns: ArrayLike<number>,
  riskFree: PerPeriod = 0,
  requiredReturn = 0,
  periodsPerYear = 252,
): number {
  checkPeriodsPerYear("omega", periodsPerYear);
  checkPerPeriod("omega", "riskFree", riskFree, returns.length);
  if (returns.length < 2) return NaN;
  let threshold = requiredReturn;
  if (periodsPerYear !== 1) {
    if (requiredReturn <= -1) return NaN;
    threshold = (1 + requiredReturn) ** (1 / periodsPerYear) - 1;
  }
  let up = 0;
  let down = 0;
  for (let i = 0; i < returns.length; i++) {
    const d = returns[i] - valueAt(riskFree, i) - threshold;
    if (d > 0) up += d;
    else if (d < 0) down -= d;
  }
  return down > 0 ? up / down : NaN;
}

/**
 * Alpha and beta against a benchmark. Beta = cov(r - rf, b - rf) / var(b - rf) with population
 * moments over periods where both are present (NaN when the benchmark variance is below 1e-30);
 * alpha is annualized and compounded: `(1 + mean((r - rf) - beta (b - rf))) ^ periodsPerYear - 1`.
 * @see empyrical alpha_beta
 */
export function alphaBeta(
  returns: ArrayLike<number>,
  benchmarkReturns: ArrayLike<number>,
  periodsPerYear: number,
  riskFree: PerPeriod = 0,
): { alpha: number; beta: number } {
  checkPeriodsPerYear("alphaBeta", periodsPerYear);
  if (benchmarkReturns.length !== returns.length) {
    throw new RangeError(
      `alphaBeta: benchmarkReturns has length ${benchmarkReturns.length} but returns has length ${returns.length}`,
    );
  }
  checkPerPeriod("alphaBeta", "riskFree", riskFree, returns.length);
  const n = returns.length;
  let count = 0;
  let meanR = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    const r = returns[i] - valueAt(riskFree, i);
    const b = benchmarkReturns[i] - valueAt(riskFree, i);
    if (r !== r || b !== b) continue;
    meanR += r;
    meanB += b;
    count++;
  }
  if (count === 0) return { alpha: NaN, beta: NaN };
  meanR /= count;
  meanB /= count;
  let cov = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    const r = returns[i] - valueAt(riskFree, i);
    const b = benchmarkReturns[i] - valueAt(riskFree, i);
    if (r !== r || b !== b) continue;
    cov += (r - meanR) * (b - meanB);
    varB += (b - meanB) * (b - meanB);
  }
  cov /= count;
  varB /= count;
  const beta = varB < 1e-30 ? NaN : cov / varB;
  const alphaPerPeriod = meanR - beta * meanB;
  return { alpha: (1 + alphaPerPeriod) ** periodsPerYear - 1, beta };
}
