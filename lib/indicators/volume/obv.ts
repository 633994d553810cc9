import { checkSameLength } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/**
 * On-balance volume: 0 on bar 0, then adds the bar's volume when the close rises, subtracts it
 * when it falls, keeps it when unchanged (Tulip, technicalindicators, trading-signals; TA-Lib
 * starts at +volume[0], a constant offset). Warm-up: 0 bars. NaN inputs propagate.
 * @see https://www.investopedia.com/terms/o/onbalancevolume.asp
 */
export const obv = withWarmup(
  function obv(close: ArrayLike<number>, volume: ArrayLike<number>): Float64Array {
    const n = checkSameLength("obv", { close, volume });
    const out = new Float64Array(n);
    let total = 0;
    for (let i = 1; i < n; i++) {
      const d = close[i] - close[i - 1];
      if (d > 0) total += volume[i];
      else if (d < 0) total -= volume[i];
      else if (d !== 0) total = NaN;
      out[i] = total;
    }
    return out;
  },
  (): number => 0,
);
