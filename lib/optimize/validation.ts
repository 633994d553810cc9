/**
 * Validation splits: an out-of-sample holdout at the end of the period, walk-forward folds
 * (rolling or anchored) with a stitched out-of-sample curve and walk-forward efficiency, and a
 * seeded sector-stratified subset of a universe ("optimize on a subset first").
 * Bar ranges are half-open [start, end).
 */
import { Rng, hashSeed } from "../data/rng";

export interface BarRange {
  start: number;
  end: number;
}

/** The search period and the holdout after it: the last ⌊n·fraction⌋ bars are held out (fraction 0 = none). */
export function holdoutSplit(nBars: number, fraction: number): { inSample: BarRange; outOfSample: BarRange | null } {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`holdout must be in [0, 1), got ${fraction}`);
  const hold = Math.floor(nBars * fraction);
  if (hold === 0) return { inSample: { start: 0, end: nBars }, outOfSample: null };
  return { inSample: { start: 0, end: nBars - hold }, outOfSample: { start: nBars - hold, end: nBars } };
}

export interface Fold {
  train: BarRange;
  test: BarRange;
}

/**
 * Walk-forward folds over [0, nBars): the bars are cut into folds + 1 equal segments (the last
 * takes the remainder); fold i tests on segment i + 1 and trains on segment i (rolling) or on
 * segments 0..i (anchored).
 */
export function walkForwardFolds(nBars: number, folds: number, anchored: boolean): Fold[] {
  if (!Number.isInteger(folds) || folds < 1) throw new RangeError(`folds must be a positive integer, got ${folds}`);
  const seg = Math.floor(nBars / (folds + 1));
  if (seg < 2) throw new RangeError(`${nBars} bars are too few for ${folds} walk-forward folds`);
  const out: Fold[] = [];
  for (let i = 0; i < folds; i++) {
    const testStart = (i + 1) * seg;
    const testEnd = i === folds - 1 ? nBars : (i + 2) * seg;
    out.push({ train: { start: anchored ? 0 : i * seg, end: testStart }, test: { start: testStart, end: testEnd } });
  }
  return out;
}

/**
 * One equity curve from consecutive test windows: each window's per-bar returns (from its own
 * equity curve, starting at its first bar) chained onto the previous window's final equity.
 */
export function stitchEquity(curves: ArrayLike<number>[], initial: number): Float64Array {
  const total = curves.reduce((s, c) => s + c.length, 0);
  const out = new Float64Array(total);
  let eq = initial;
  let k = 0;
  for (const c of curves) {
    for (let i = 0; i < c.length; i++) {
      const r = i === 0 ? c[0] / initial : c[i] / c[i - 1];
      eq *= r;
      out[k++] = eq;
    }
  }
  return out;
}

/**
 * Walk-forward efficiency: mean out-of-sample objective over mean in-sample objective across the
 * folds (Pardo's ratio, here on the study's first objective). Null when the in-sample mean is 0 or
 * any value is missing.
 */
export function walkForwardEfficiency(inSample: (number | null)[], outOfSample: (number | null)[]): number | null {
  if (
    inSample.length === 0 ||
    inSample.some((x) => x === null || !Number.isFinite(x)) ||
    outOfSample.some((x) => x === null || !Number.isFinite(x))
  )
    return null;
  const mi = (inSample as number[]).reduce((s, x) => s + x, 0) / inSample.length;
  const mo = (outOfSample as number[]).reduce((s, x) => s + x, 0) / outOfSample.length;
  return mi === 0 ? null : mo / mi;
}

/**
 * A seeded, sector-stratified random subset of `n` symbols: each sector gets a share proportional
 * to its size (largest remainders first, ties by sector name), symbols drawn without replacement
 * within it. Symbols without a sector form their own group. Result sorted by symbol.
 */
export function stratifiedSubset(
  universe: Array<{ symbol: string; sector?: string | null }>,
  n: number,
  seed: number,
): string[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`subset size must be a positive integer, got ${n}`);
  if (n >= universe.length) return universe.map((u) => u.symbol).sort();
  const groups = new Map<string, string[]>();
  for (const u of universe) {
    const k = u.sector ?? "";
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(u.symbol);
  }
  const names = [...groups.keys()].sort();
  const quota = names.map((g) => (n * groups.get(g)!.length) / universe.length);
  const take = quota.map(Math.floor);
  let left = n - take.reduce((s, x) => s + x, 0);
  const order = names
    .map((_, i) => i)
    .sort((a, b) => quota[b] - take[b] - (quota[a] - take[a]) || (names[a] < names[b] ? -1 : 1));
  for (const i of order) {
    if (left === 0) break;
    take[i]++;
    left--;
  }
  const out: string[] = [];
  names.forEach((g, i) => {
    const pool = [...groups.get(g)!].sort();
    const rng = new Rng(hashSeed(seed, `subset:${g}`));
    for (let j = pool.length - 1; j > 0; j--) {
      const r = rng.int(j + 1);
      [pool[j], pool[r]] = [pool[r], pool[j]];
    }
    out.push(...pool.slice(0, take[i]));
  });
  return out.sort();
}
