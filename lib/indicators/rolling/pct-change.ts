import { checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/**
 * Fractional change over `n` bars: `src[i] / src[i - n] - 1` (0.05 = +5%).
 * A zero previous value gives NaN. Warm-up: `n` bars.
 */
export const pctChange = withWarmup(
  function pctChange(src: ArrayLike<number>, n = 1): Float64Array {
    checkSeries("pctChange", "src", src);
    checkPeriod("pctChange", "n", n);
    return changeRatio(src, n, 1);
  },
  (n = 1): number => n,
);

/** `scale * (src[i] / src[i - n] - 1)`, NaN for the first `n` bars or a zero base. @internal */
export function changeRatio(src: ArrayLike<number>, n: number, scale: number): Float64Array {
  const len = src.length;
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    if (i < n) {
      out[i] = NaN;
      continue;
    }
    const base = src[i - n];
    out[i] = base === 0 ? NaN : (scale * (src[i] - base)) / base;
  }
  return out;
}
