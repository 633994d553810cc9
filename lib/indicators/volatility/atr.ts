import { checkPeriod, checkSameLength } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";
import { trueRangeAt } from "./true-range";

/**
 * Average True Range with Wilder smoothing. Convention (TA-Lib, technicalindicators): the first
 * ATR, at bar `period`, is the mean of the true ranges of bars 1..period (bar 0 has no previous
 * close and is skipped); then `atr = (atr * (period - 1) + tr) / period`. Tulip and
 * trading-signals also average bar 0's `high - low` and start one bar earlier; the difference
 * shrinks by `(period - 1) / period` per bar.
 * Warm-up: `period` bars. NaN inputs propagate.
 * @see J. Welles Wilder, New Concepts in Technical Trading Systems (1978)
 */
export const atr = withWarmup(
  function atr(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14): Float64Array {
    const n = checkSameLength("atr", { high, low, close });
    checkPeriod("atr", "period", period);
    const out = new Float64Array(n).fill(NaN);
    if (period >= n) return out;
    let value = 0;
    for (let i = 1; i <= period; i++) value += trueRangeAt(high, low, close, i);
    value /= period;
    out[period] = value;
    const keep = period - 1;
    for (let i = period + 1; i < n; i++) {
      value = (value * keep + trueRangeAt(high, low, close, i)) / period;
      out[i] = value;
    }
    return out;
  },
  (period = 14): number => period,
);
