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
    for (let i = 0; i < n; i++) {
      const x = src[i];
      if (x - x === 0) sum += x;
      else missing++;
      if (i >= period) {
        const old = src[i - period];
        if (old - old === 0) sum -= old;
        else missing--;
      }
      out[i] = i >= period - 1 && missing === 0 ? sum / period : NaN;
    }
    return out;
  },
  (period: number): number => period - 1,
);
