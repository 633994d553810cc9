import { checkPeriod, checkSameLength } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/**
 * Volume-weighted average price of the typical price `(high + low + close) / 3`:
 * `sum(tp * volume) / sum(volume)` over the last `period` bars (rolling), or over all bars
 * since the first one when `period` is omitted (anchored at bar 0, like technicalindicators
 * and trading-signals). A window with zero total volume has no price: NaN.
 * Warm-up: `period - 1` bars (0 when anchored). Windows holding a non-finite input are NaN.
 */
export const vwap = withWarmup(
  function vwap(
    high: ArrayLike<number>,
    low: ArrayLike<number>,
    close: ArrayLike<number>,
    volume: ArrayLike<number>,
    period?: number,
  ): Float64Array {
    const n = checkSameLength("vwap", { high, low, close, volume });
    if (period !== undefined) checkPeriod("vwap", "period", period);
    const window = period ?? Number.POSITIVE_INFINITY;
    const warm = period === undefined ? 0 : period - 1;
    const out = new Float64Array(n);
    let pv = 0;
    let vol = 0;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const v = volume[i];
      const x = ((high[i] + low[i] + close[i]) / 3) * v;
      if (x - x === 0) {
        pv += x;
        vol += v;
      } else {
        missing++;
      }
      if (i >= window) {
        const j = i - window;
        const old = ((high[j] + low[j] + close[j]) / 3) * volume[j];
        if (old - old === 0) {
          pv -= old;
          vol -= volume[j];
        } else {
          missing--;
        }
      }
      out[i] = i >= warm && missing === 0 && vol > 0 ? pv / vol : NaN;
    }
    return out;
  },
  (period?: number): number => (period === undefined ? 0 : period - 1),
);
