import { checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/** Options of {@link rollingStd}. */
export interface RollingStdOptions {
  /** Divide by `period - 1` instead of `period` (sample std). Default false (population). */
  sample?: boolean;
}

/**
 * Rolling mean and variance with Welford's sliding update; the window is summed afresh when it
 * first fills and whenever a non-finite value has left it, so errors cannot build up across gaps.
 * Writes the mean into `meanOut` and the population or sample variance into `varOut` (NaN while
 * the window is not full or holds a non-finite value).
 * @internal shared by rollingStd, bollinger and zscore.
 */
export function rollingMoments(
  src: ArrayLike<number>,
  period: number,
  sample: boolean,
  meanOut: Float64Array,
  varOut: Float64Array,
): void {
  const n = src.length;
  const divisor = sample ? period - 1 : period;
  let mean = 0;
  let m2 = 0;
  let missing = 0;
  let fresh = false;
  for (let i = 0; i < n; i++) {
    const x = src[i];
    if (x - x !== 0) missing++;
    if (i >= period) {
      const old = src[i - period];
      if (old - old !== 0) missing--;
    }
    if (i < period - 1 || missing > 0) {
      fresh = false;
      meanOut[i] = NaN;
      varOut[i] = NaN;
      continue;
    }
    if (!fresh) {
      let sum = 0;
      for (let j = i - period + 1; j <= i; j++) sum += src[j];
      mean = sum / period;
      m2 = 0;
      for (let j = i - period + 1; j <= i; j++) {
        const d = src[j] - mean;
        m2 += d * d;
      }
      fresh = true;
    } else {
      const old = src[i - period];
      const delta = x - old;
      const nextMean = mean + delta / period;
      m2 += delta * (x - nextMean + old - mean);
      if (m2 < 0) m2 = 0;
      mean = nextMean;
    }
    meanOut[i] = mean;
    varOut[i] = divisor > 0 ? m2 / divisor : NaN;
  }
}

/**
 * Rolling standard deviation over `period` bars. Population (divide by `period`) by default,
 * like Bollinger Bands in most charting packages; `{ sample: true }` divides by `period - 1`
 * (and is NaN for `period = 1`).
 * Warm-up: `period - 1` bars. Windows holding a non-finite value are NaN.
 */
export const rollingStd = withWarmup(
  function rollingStd(src: ArrayLike<number>, period: number, options: RollingStdOptions = {}): Float64Array {
    checkSeries("rollingStd", "src", src);
    checkPeriod("rollingStd", "period", period);
    const n = src.length;
    const mean = new Float64Array(n);
    const out = new Float64Array(n);
    rollingMoments(src, period, options.sample === true, mean, out);
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(out[i]);
    return out;
  },
  (period: number): number => period - 1,
);
