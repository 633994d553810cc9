import { checkPeriod, checkSameLength } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/**
 * Commodity Channel Index: `(tp - SMA(tp)) / (0.015 * meanDeviation)` with typical price
 * `tp = (high + low + close) / 3` and meanDeviation the mean of |tp - SMA(tp)| over the same
 * `period` bars. A flat window (deviation 0) gives 0.
 * Warm-up: `period - 1` bars. Cost O(n × period): the mean deviation has no running form.
 * @see https://www.investopedia.com/terms/c/commoditychannelindex.asp
 */
export const cci = withWarmup(
  function cci(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 20): Float64Array {
    const n = checkSameLength("cci", { high, low, close });
    checkPeriod("cci", "period", period);
    const tp = new Float64Array(n);
    for (let i = 0; i < n; i++) tp[i] = (high[i] + low[i] + close[i]) / 3;
    const out = new Float64Array(n).fill(NaN);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += tp[i];
      if (i >= period) sum -= tp[i - period];
      if (i < period - 1) continue;
      const mean = sum / period;
      let dev = 0;
      for (let j = i - period + 1; j <= i; j++) dev += Math.abs(tp[j] - mean);
      dev /= period;
      out[i] = dev > 0 ? (tp[i] - mean) / (0.015 * dev) : dev === 0 ? 0 : NaN;
    }
    return out;
  },
  (period = 20): number => period - 1,
);
