/**
 * Small numeric helpers shared by the metrics. NaN entries are skipped ("nan-aware"), as in
 * numpy's nanmean/nanstd which the empyrical reference uses.
 */

/** A per-period rate: one number for every period, or one value per period. */
export type PerPeriod = number | ArrayLike<number>;

/** Value of a {@link PerPeriod} at index `i`. */
export function valueAt(x: PerPeriod, i: number): number {
  return typeof x === "number" ? x : x[i];
}

/** Throws unless a per-period series has the same length as `returns`. */
export function checkPerPeriod(fn: string, arg: string, x: PerPeriod, n: number): void {
  if (typeof x !== "number" && x.length !== n) {
    throw new RangeError(`${fn}: ${arg} has length ${x.length} but returns has length ${n}`);
  }
}

/** Throws unless `periodsPerYear` is a positive finite number. */
export function checkPeriodsPerYear(fn: string, periodsPerYear: number): void {
  if (typeof periodsPerYear !== "number" || !Number.isFinite(periodsPerYear) || periodsPerYear <= 0) {
    throw new RangeError(`${fn}: periodsPerYear must be a positive number, got ${String(periodsPerYear)}`);
  }
}

/** `returns[i] - sub[i]` for every i, NaN kept. */
export function minus(returns: ArrayLike<number>, sub: PerPeriod): Float64Array {
  const out = new Float64Array(returns.length);
  for (let i = 0; i < returns.length; i++) out[i] = returns[i] - valueAt(sub, i);
  return out;
}

/** Mean of the non-NaN values; NaN when there are none. */
export function nanMean(x: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === v) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? NaN : sum / count;
}

/**
 * Standard deviation of the non-NaN values with `ddof` (0 = population, 1 = sample); NaN when
 * fewer than `ddof + 1` values. Exactly 0 when all values are equal, so a constant series has
 * no spurious dispersion from rounding.
 */
export function nanStd(x: ArrayLike<number>, ddof: number): number {
  const mean = nanMean(x);
  let ss = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v) continue;
    ss += (v - mean) * (v - mean);
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count - ddof <= 0) return NaN;
  return min === max ? 0 : Math.sqrt(ss / (count - ddof));
}

/** Non-NaN values sorted ascending. */
export function sortedFinite(x: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) out.push(x[i]);
  return Float64Array.from(out).sort();
}

/**
 * Percentile `q` in [0, 1] of sorted values with linear interpolation between closest ranks
 * (numpy's default, R type 7): rank h = (n - 1) q. NaN when empty.
 */
export function percentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
