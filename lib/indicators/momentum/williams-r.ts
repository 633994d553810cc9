import { checkPeriod, checkSameLength } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";
import { rollingMax, rollingMin } from "../rolling/rolling-extreme";

/**
 * Williams %R: `-100 * (HH - close) / (HH - LL)` over the last `period` bars, in [-100, 0].
 * A flat window (HH = LL) gives -50, the midpoint (trading-signals gives -100, TA-Lib 0;
 * neither extreme is meaningful when there is no range). Warm-up: `period - 1` bars.
 * @see https://www.investopedia.com/terms/w/williamsr.asp
 */
export const williamsR = withWarmup(
  function williamsR(
    high: ArrayLike<number>,
    low: ArrayLike<number>,
    close: ArrayLike<number>,
    period = 14,
  ): Float64Array {
    const n = checkSameLength("williamsR", { high, low, close });
    checkPeriod("williamsR", "period", period);
    const hh = rollingMax(high, period);
    const out = rollingMin(low, period);
    for (let i = 0; i < n; i++) {
      const range = hh[i] - out[i];
      out[i] = range > 0 ? (-100 * (hh[i] - close[i])) / range : range === 0 ? -50 : NaN;
    }
    return out;
  },
  (period = 14): number => period - 1,
);
