import { checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";
import { ema } from "./ema";

/** MACD outputs, each aligned with the input. */
export interface MacdResult {
  /** EMA(fast) − EMA(slow). */
  macd: Float64Array;
  /** EMA(signal) of the MACD line. */
  signal: Float64Array;
  /** MACD line − signal line. */
  histogram: Float64Array;
}

/**
 * Moving Average Convergence/Divergence. All three EMAs use `alpha = 2 / (n + 1)` and are
 * seeded with their SMA; the signal EMA starts at the first MACD value (technicalindicators
 * convention; TA-Lib seeds the fast EMA later, Tulip seeds from the first value and uses fixed
 * alphas 0.15/0.075 for 12/26 — see lib/indicators/README.md).
 * Warm-up: macd `max(fast, slow) - 1`; signal and histogram `max(fast, slow) + signal - 2`.
 * @see https://www.investopedia.com/terms/m/macd.asp
 */
export const macd = withWarmup(
  function macd(close: ArrayLike<number>, fast = 12, slow = 26, signal = 9): MacdResult {
    checkSeries("macd", "close", close);
    checkPeriod("macd", "fast", fast);
    checkPeriod("macd", "slow", slow);
    checkPeriod("macd", "signal", signal);
    const fastLine = ema(close, fast);
    const slowLine = ema(close, slow);
    const n = close.length;
    const line = new Float64Array(n);
    for (let i = 0; i < n; i++) line[i] = fastLine[i] - slowLine[i];
    const signalLine = ema(line, signal);
    const histogram = new Float64Array(n);
    for (let i = 0; i < n; i++) histogram[i] = line[i] - signalLine[i];
    return { macd: line, signal: signalLine, histogram };
  },
  (fast = 12, slow = 26, signal = 9): { macd: number; signal: number; histogram: number } => {
    const line = Math.max(fast, slow) - 1;
    return { macd: line, signal: line + signal - 1, histogram: line + signal - 1 };
  },
);
