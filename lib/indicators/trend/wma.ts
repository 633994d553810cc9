import { checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/**
 * Linearly weighted moving average: weights 1..period, the newest bar weighs `period`,
 * divided by `period * (period + 1) / 2`.
 * Warm-up: `period - 1` bars; non-finite inputs make the windows containing them NaN.
 * O(n): the weighted sum moves by `period * x[i] - (plain sum of the previous window)`.
 * @see https://www.investopedia.com/articles/technical/060401.asp
 */
export const wma = withWarmup(
  function wma(src: ArrayLike<number>, period: number): Float64Array {
    checkSeries("wma", "src", src);
    checkPeriod("wma", "period", period);
    const n = src.length;
    const out = new Float64Array(n);
    const denom = (period * (period + 1)) / 2;
    let sum = 0;
    let weighted = 0;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      let x = src[i];
      if (x - x !== 0) {
        x = 0;
        missing++;
      }
      weighted += period * x - sum;
      sum += x;
      if (i >= period) {
        const old = src[i - period];
        if (old - old === 0) sum -= old;
        else missing--;
      }
      out[i] = i >= period - 1 && missing === 0 ? weighted / denom : NaN;
    }
    return out;
  },
  (period: number): number => period - 1,
);
