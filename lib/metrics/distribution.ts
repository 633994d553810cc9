import { percentileSorted, sortedFinite } from "./stats";

/**
 * Tail ratio: |95th percentile| / |5th percentile| of the returns (linear interpolation,
 * NaN entries skipped). Above 1: the right tail is fatter. NaN for no returns.
 * @see empyrical tail_ratio
 */
export function tailRatio(returns: ArrayLike<number>): number {
  const s = sortedFinite(returns);
  return Math.abs(percentileSorted(s, 0.95)) / Math.abs(percentileSorted(s, 0.05));
}

function checkCutoff(fn: string, cutoff: number): void {
  if (typeof cutoff !== "number" || !(cutoff >= 0 && cutoff <= 1)) {
    throw new RangeError(`${fn}: cutoff must be in [0, 1], got ${String(cutoff)}`);
  }
}

/**
 * Historical value at risk: the `cutoff` percentile of the returns (linear interpolation), as a
 * return — usually negative (-0.03 = a 3% loss is exceeded in `cutoff` of periods).
 * NaN entries are skipped (empyrical/numpy would return NaN); NaN for no returns.
 * @see empyrical value_at_risk
 */
export function valueAtRisk(returns: ArrayLike<number>, cutoff = 0.05): number {
  checkCutoff("valueAtRisk", cutoff);
  return percentileSorted(sortedFinite(returns), cutoff);
}

/**
 * Conditional value at risk (expected shortfall): mean of the `floor((n - 1) * cutoff) + 1`
 * smallest returns. NaN entries are skipped; NaN for no returns.
 * @see empyrical conditional_value_at_risk
 */
export function conditionalValueAtRisk(returns: ArrayLike<number>, cutoff = 0.05): number {
  checkCutoff("conditionalValueAtRisk", cutoff);
  const s = sortedFinite(returns);
  if (s.length === 0) return NaN;
  const k = Math.floor((s.length - 1) * cutoff);
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += s[i];
  return sum / (k + 1);
}

/**
 * Stability: R² of a least-squares line through the cumulative log returns
 * `cumsum(log1p(r))` against 0..n-1 (NaN entries dropped first). 1 = perfectly steady growth.
 * NaN with fewer than 2 returns.
 * @see empyrical stability_of_timeseries
 */
export function stability(returns: ArrayLike<number>): number {
  const y: number[] = [];
  let acc = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (r !== r) continue;
    acc += Math.log1p(r);
    y.push(acc);
  }
  const n = y.length;
  if (n < 2) return NaN;
  const mx = (n - 1) / 2;
  let my = 0;
  for (const v of y) my += v;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (y[i] - my);
    sxx += (i - mx) * (i - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return syy === 0 ? NaN : (sxy * sxy) / (sxx * syy);
}
