import { checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/**
 * The series delayed by `n` bars: `out[i] = src[i - n]`. Only non-negative shifts exist —
 * a negative one would read the future.
 * Warm-up: `n` bars.
 */
export const shift = withWarmup(
  function shift(src: ArrayLike<number>, n: number): Float64Array {
    checkSeries("shift", "src", src);
    checkPeriod("shift", "n", n, 0);
    const len = src.length;
    const out = new Float64Array(len);
    for (let i = 0; i < len; i++) out[i] = i >= n ? src[i - n] : NaN;
    return out;
  },
  (n: number): number => n,
);
