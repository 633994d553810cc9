import { checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";
import { changeRatio } from "../rolling/pct-change";

/**
 * Rate of change in percent: `100 * (src[i] - src[i - period]) / src[i - period]`
 * (TA-Lib ROC, technicalindicators). A zero base gives NaN. Warm-up: `period` bars.
 */
export const roc = withWarmup(
  function roc(src: ArrayLike<number>, period: number): Float64Array {
    checkSeries("roc", "src", src);
    checkPeriod("roc", "period", period);
    return changeRatio(src, period, 100);
  },
  (period: number): number => period,
);
