import { checkPeriod, checkSameLength } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";
import { rollingMax, rollingMin } from "../rolling/rolling-extreme";
import { sma } from "../trend/sma";

/** Stochastic oscillator outputs, in [0, 100], aligned with the input. */
export interface StochasticResult {
  /** %K: raw %K smoothed by an SMA of `smooth` bars (smooth = 1: fast stochastic). */
  k: Float64Array;
  /** %D: SMA of %K over `dPeriod` bars. */
  d: Float64Array;
}

/**
 * Stochastic oscillator. Raw %K = `100 * (close - LL) / (HH - LL)` with HH/LL the highest high
 * and lowest low of the last `kPeriod` bars; %K = SMA(raw, smooth); %D = SMA(%K, dPeriod).
 * `smooth = 1` is the fast stochastic (technicalindicators), `smooth = 3` the slow one
 * (TA-Lib STOCH, Tulip stoch). A flat window (HH = LL) gives raw %K = 50.
 * Warm-up: k `kPeriod + smooth - 2`; d `kPeriod + smooth + dPeriod - 3`.
 * @see https://www.investopedia.com/terms/s/stochasticoscillator.asp
 */
export const stochastic = withWarmup(
  function stochastic(
    high: ArrayLike<number>,
    low: ArrayLike<number>,
    close: ArrayLike<number>,
    kPeriod = 14,
    dPeriod = 3,
    smooth = 1,
  ): StochasticResult {
    const n = checkSameLength("stochastic", { high, low, close });
    checkPeriod("stochastic", "kPeriod", kPeriod);
    checkPeriod("stochastic", "dPeriod", dPeriod);
    checkPeriod("stochastic", "smooth", smooth);
    const hh = rollingMax(high, kPeriod);
    const raw = rollingMin(low, kPeriod);
    for (let i = 0; i < n; i++) {
      const range = hh[i] - raw[i];
      raw[i] = range > 0 ? (100 * (close[i] - raw[i])) / range : range === 0 ? 50 : NaN;
    }
    const k = smooth > 1 ? sma(raw, smooth) : raw;
    return { k, d: sma(k, dPeriod) };
  },
  (kPeriod = 14, dPeriod = 3, smooth = 1): { k: number; d: number } => ({
    k: kPeriod + smooth - 2,
    d: kPeriod + smooth + dPeriod - 3,
  }),
);
