/** Deepest fall of an equity curve from a running peak. */
export interface MaxDrawdown {
  /** Fraction, <= 0 (-0.25 = the curve fell 25% below its peak); 0 when it never fell; NaN when empty. */
  maxDrawdown: number;
  /** Bar of the peak before the deepest point; -1 when there is no drawdown. */
  peakIndex: number;
  /** Bar of the deepest point; -1 when there is no drawdown. */
  troughIndex: number;
  /** First bar after the trough back at or above the peak; -1 when not recovered (or no drawdown). */
  recoveryIndex: number;
}

/**
 * Drawdown at every bar: `equity[i] / max(equity[0..i]) - 1`, <= 0.
 */
export function drawdownSeries(equity: ArrayLike<number>): Float64Array {
  const n = equity.length;
  const out = new Float64Array(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    if (equity[i] > peak) peak = equity[i];
    out[i] = equity[i] / peak - 1;
  }
  return out;
}

/**
 * Maximum drawdown with its peak, trough and recovery bars. The first point of the curve is a
 * peak, so a loss on the first bar counts (empyrical prepends the starting value the same way).
 * @see empyrical max_drawdown
 */
export function maxDrawdown(equity: ArrayLike<number>): MaxDrawdown {
  const n = equity.length;
  if (n === 0) return { maxDrawdown: NaN, peakIndex: -1, troughIndex: -1, recoveryIndex: -1 };
  let peak = equity[0];
  let peakAt = 0;
  let worst = 0;
  let worstPeak = -1;
  let worstTrough = -1;
  for (let i = 1; i < n; i++) {
    const v = equity[i];
    if (v >= peak) {
      peak = v;
      peakAt = i;
    } else {
      const dd = v / peak - 1;
      if (dd < worst) {
        worst = dd;
        worstPeak = peakAt;
        worstTrough = i;
      }
    }
  }
  let recovery = -1;
  if (worstTrough >= 0) {
    const level = equity[worstPeak];
    for (let i = worstTrough + 1; i < n; i++) {
      if (equity[i] >= level) {
        recovery = i;
        break;
      }
    }
  }
  return { maxDrawdown: worst, peakIndex: worstPeak, troughIndex: worstTrough, recoveryIndex: recovery };
}

/** Statistics over all drawdown episodes of a curve. */
export interface DrawdownDurations {
  /** Number of episodes (a fall below the running peak until it is regained or the data ends). */
  count: number;
  /** Longest episode in bars, from the peak bar to the recovery bar (or the last bar). 0 when none. */
  maxDurationBars: number;
  /** Mean episode length in bars; NaN when there are none. */
  averageDurationBars: number;
  /** Mean of each episode's deepest drawdown, a fraction <= 0; NaN when there are none. */
  averageDrawdown: number;
}

/**
 * Drawdown episodes: each starts at a peak bar, ends at the first bar back at or above that peak
 * (or at the last bar if never regained); its duration is end − peak in bars and its depth the
 * lowest drawdown inside it (as backtesting.py's "Avg./Max. Drawdown Duration" and "Avg. Drawdown").
 */
export function drawdownDurations(equity: ArrayLike<number>): DrawdownDurations {
  const n = equity.length;
  let count = 0;
  let maxDuration = 0;
  let durationSum = 0;
  let depthSum = 0;
  let peak = n > 0 ? equity[0] : 0;
  let peakAt = 0;
  let depth = 0;
  let inDrawdown = false;
  const close = (end: number) => {
    const d = end - peakAt;
    count++;
    durationSum += d;
    depthSum += depth;
    if (d > maxDuration) maxDuration = d;
  };
  for (let i = 1; i < n; i++) {
    const v = equity[i];
    if (v >= peak) {
      if (inDrawdown) close(i);
      inDrawdown = false;
      peak = v;
      peakAt = i;
      depth = 0;
    } else {
      inDrawdown = true;
      const dd = v / peak - 1;
      if (dd < depth) depth = dd;
    }
  }
  if (inDrawdown) close(n - 1);
  return {
    count,
    maxDurationBars: maxDuration,
    averageDurationBars: count === 0 ? NaN : durationSum / count,
    averageDrawdown: count === 0 ? NaN : depthSum / count,
  };
}
