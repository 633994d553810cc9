import { checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";
import { rollingMoments } from "./rolling-std";

/**
 * Rolling z-score `(x - mean) / std` over the last `period` bars (population std, current bar
 * included). A flat window (std 0) gives 0: the value equals the mean.
 * Warm-up: `period - 1` bars. Windows holding a non-finite value are NaN.
 */
export const zscore = withWarmup(
  function zscore(src: ArrayLike<number>, period: number): Float64Array {
    checkSeries("zscore", "src", src);
    checkPeriod("zscore", "period", period);
    const n = src.length;
    const mean = new Float64Array(n);
    const out = new Float64Array(n);
    rollingMoments(src, period, false, mean, out);
    for (let i = 0; i < n; i++) {
      const sd = Math.sqrt(out[i]);
      out[i] = sd > 0 ? (src[i] - mean[i]) / sd : sd === 0 ? 0 : NaN;
    }
    return out;
  },
  (period: number): number => period - 1,
);
