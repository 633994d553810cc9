import { checkFinite, checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";
import { rollingMoments } from "../rolling/rolling-std";

/** Bollinger Bands outputs, each aligned with the input. */
export interface BollingerResult {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/**
 * Bollinger Bands: middle = SMA(period), upper/lower = middle ± mult × std, where std is the
 * POPULATION standard deviation of the same window (divide by `period`), as TA-Lib, Tulip,
 * technicalindicators and most charting packages do.
 * Warm-up: `period - 1` bars for every output.
 * @see https://www.investopedia.com/terms/b/bollingerbands.asp
 */
export const bollinger = withWarmup(
  function bollinger(src: ArrayLike<number>, period = 20, mult = 2): BollingerResult {
    checkSeries("bollinger", "src", src);
    checkPeriod("bollinger", "period", period);
    checkFinite("bollinger", "mult", mult);
    const n = src.length;
    const middle = new Float64Array(n);
    const variance = new Float64Array(n);
    rollingMoments(src, period, false, middle, variance);
    const upper = new Float64Array(n);
    const lower = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const band = mult * Math.sqrt(variance[i]);
      upper[i] = middle[i] + band;
      lower[i] = middle[i] - band;
    }
    return { upper, middle, lower };
  },
  (period = 20): { upper: number; middle: number; lower: number } => ({
    upper: period - 1,
    middle: period - 1,
    lower: period - 1,
  }),
);
