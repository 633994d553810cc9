import { checkSameLength } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/**
 * True range: `max(high - low, |high - prevClose|, |low - prevClose|)`; on bar 0 (no previous
 * close) it is `high - low`. Warm-up: 0 bars.
 * @see https://www.investopedia.com/terms/a/atr.asp
 */
export const trueRange = withWarmup(
  function trueRange(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): Float64Array {
    const n = checkSameLength("trueRange", { high, low, close });
    const out = new Float64Array(n);
    if (n > 0) out[0] = high[0] - low[0];
    for (let i = 1; i < n; i++) out[i] = trueRangeAt(high, low, close, i);
    return out;
  },
  (): number => 0,
);

/** True range of bar `i >= 1`. @internal */
export function trueRangeAt(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  i: number,
): number {
  const h = high[i];
  const l = low[i];
  const pc = close[i - 1];
  let tr = h - l;
  const up = h > pc ? h - pc : pc - h;
  if (up > tr) tr = up;
  const down = l > pc ? l - pc : pc - l;
  if (down > tr) tr = down;
  return tr;
}
