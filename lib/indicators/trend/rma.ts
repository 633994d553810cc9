import { checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";
import { expSmooth } from "./ema";

/**
 * Wilder's moving average (RMA, "wilders", SMMA): exponential smoothing with `alpha = 1 / period`,
 * seeded with the SMA of the first `period` values. The smoothing behind RSI, ATR and ADX.
 * Warm-up: `period - 1` bars from the first finite input.
 * @see J. Welles Wilder, New Concepts in Technical Trading Systems (1978)
 */
export const rma = withWarmup(
  function rma(src: ArrayLike<number>, period: number): Float64Array {
    checkSeries("rma", "src", src);
    checkPeriod("rma", "period", period);
    return expSmooth(src, period, 1 / period, "sma");
  },
  (period: number): number => period - 1,
);
