import { checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/**
 * Simple moving average: mean of the last `period` values.
 * Warm-up: `period - 1` bars. A non-finite input makes every window that contains it NaN;
 * values recover once it has left the window. O(n) running sum.
 * @see https://www.investopedia.com/terms/s/sma.asp
 */
export const sma = withWarmup(
  function sma(src: ArrayLike<number>, period: number): Float64Array {
    checkSeries("sma", "src", src);
    checkPeriod("sma", "period", period);
    const n = src.length;
    const out = new Float64Array(n);
    let sum = 0;
    let missing = 0;
    const warm = Math.min(period - 1, n);
    for (let i = 0; i < warm; i++) {
      const x = src[i];
      if (x - x === 0) sum += x;
      else missing++;
      out[i] = NaN;
    }
    // The loop holds period - 1 values on entry: add the newest, emit, drop the oldest.
    for (let i = warm; i < n; i++) {
      const x = src[i];
      if (x - x === 0) sum += x;
      else missing++;
      out[i] = missing === 0 ? sum / period : NaN;
      const old = src[i - period + 1];
      if (old - old === 0) sum -= old;
      else missing--;
    }
    return out;
  },
  (period: number): number => period - 1,
);
