/**
 * The metric formulas the report needs, with our conventions (README "Metrics"): simple per-bar
 * returns of equity, risk-free 0, sample std (ddof 1) for volatility/Sharpe/SQN, population downside
 * deviation for Sortino (empyrical). Kept here until lib/metrics is available to compose instead.
 */

/** Per-bar simple returns `x[t] / x[t-1] - 1`, length n-1. */
export function simpleReturns(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, x.length - 1));
  for (let i = 1; i < x.length; i++) out[i - 1] = x[i] / x[i - 1] - 1;
  return out;
}

export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample standard deviation (ddof 1); NaN below two values. */
export function stdSample(x: ArrayLike<number>): number {
  if (x.length < 2) return NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) * (x[i] - m);
  return Math.sqrt(s / (x.length - 1));
}

/** Annualized Sharpe, rf 0: `mean / std(ddof 1) × sqrt(periodsPerYear)`; NaN when std is 0. */
export function sharpeRatio(r: ArrayLike<number>, periodsPerYear: number): number {
  const sd = stdSample(r);
  return sd > 0 ? (mean(r) / sd) * Math.sqrt(periodsPerYear) : NaN;
}

/** Annualized Sortino, rf 0: `mean / sqrt(mean(min(r, 0)²)) × sqrt(periodsPerYear)`. */
export function sortinoRatio(r: ArrayLike<number>, periodsPerYear: number): number {
  if (r.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < r.length; i++) if (r[i] < 0) s += r[i] * r[i];
  const dd = Math.sqrt(s / r.length);
  const m = mean(r);
  return dd > 0 ? (m / dd) * Math.sqrt(periodsPerYear) : m > 0 ? Infinity : NaN;
}

/** One drawdown episode: from a peak bar to the first bar back at or above it (or the last bar). */
export interface DrawdownEpisode {
  peakBar: number;
  endBar: number;
  /** Deepest `equity / peak - 1` inside the episode (negative fraction). */
  depth: number;
}

/** All drawdown episodes of an equity curve, in time order. */
export function drawdownEpisodes(equity: ArrayLike<number>): DrawdownEpisode[] {
  const out: DrawdownEpisode[] = [];
  let peak = equity.length ? equity[0] : 0, peakBar = 0, depth = 0, inDd = false;
  for (let i = 1; i < equity.length; i++) {
    const e = equity[i];
    if (e >= peak) {
      if (inDd) out.push({ peakBar, endBar: i, depth });
      peak = e; peakBar = i; depth = 0; inDd = false;
    } else {
      inDd = true;
      const d = e / peak - 1;
      if (d < depth) depth = d;
    }
  }
  if (inDd) out.push({ peakBar, endBar: equity.length - 1, depth });
  return out;
}

/** Bars per year from bar spacing (median gap): daily 252, weekly 52, monthly 12, intraday 252 × bars a day. */
export function periodsPerYearFromGaps(timestampsMs: ArrayLike<number>): number {
  if (timestampsMs.length < 2) return 252;
  const gaps: number[] = [];
  for (let i = 1; i < timestampsMs.length; i++) gaps.push(timestampsMs[i] - timestampsMs[i - 1]);
  gaps.sort((a, b) => a - b);
  const day = 86_400_000;
  const g = gaps[Math.floor(gaps.length / 2)] / day;
  if (g < 0.9) return 252 * Math.round(1 / g);
  if (g <= 4) return 252;
  if (g <= 10) return 52;
  if (g <= 40) return 12;
  return 365.25 / g;
}
