import { checkPeriod, checkSeries, firstFinite } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/**
 * Relative Strength Index, Wilder smoothing: average gain and loss start as the mean of the
 * first `period` changes, then `avg = (avg * (period - 1) + change) / period`.
 * `RSI = 100 * avgGain / (avgGain + avgLoss)`, in [0, 100].
 * Edge: no losses → 100; no gains and no losses (flat prices) → 50 (neither side; TA-Lib
 * gives 0, trading-signals 100).
 * Warm-up: `period` bars from the first finite input. A NaN after that propagates.
 * @see https://school.stockcharts.com/doku.php?id=technical_indicators:relative_strength_index_rsi
 */
export const rsi = withWarmup(
  function rsi(close: ArrayLike<number>, period = 14): Float64Array {
    checkSeries("rsi", "close", close);
    checkPeriod("rsi", "period", period);
    const n = close.length;
    const out = new Float64Array(n).fill(NaN);
    const start = firstFinite(close);
    const firstOut = start + period;
    if (firstOut >= n) return out;
    let gain = 0;
    let loss = 0;
    for (let i = start + 1; i <= firstOut; i++) {
      const d = close[i] - close[i - 1];
      if (d > 0) gain += d;
      else loss -= d; // a NaN change lands here and poisons both averages, as documented
    }
    gain /= period;
    loss /= period;
    out[firstOut] = rsiValue(gain, loss);
    const keep = period - 1;
    for (let i = firstOut + 1; i < n; i++) {
      const d = close[i] - close[i - 1];
      gain = (gain * keep + (d > 0 ? d : d === d ? 0 : NaN)) / period;
      loss = (loss * keep + (d < 0 ? -d : 0)) / period;
      out[i] = rsiValue(gain, loss);
    }
    return out;
  },
  (period = 14): number => period,
);

function rsiValue(gain: number, loss: number): number {
  const total = gain + loss;
  return total === 0 ? 50 : (100 * gain) / total;
}
