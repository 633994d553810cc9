import { checkPeriod, checkSeries } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/**
 * Sliding-window maximum (or minimum) with a monotonic deque of indices in a ring buffer:
 * O(n) total, no per-bar allocation. Windows holding a non-finite value are NaN.
 * @internal
 */
function rollingExtreme(fn: string, src: ArrayLike<number>, period: number, isMax: boolean): Float64Array {
  checkSeries(fn, "src", src);
  checkPeriod(fn, "period", period);
  const n = src.length;
  const out = new Float64Array(n);
  const ring = new Int32Array(period);
  let head = 0;
  let size = 0;
  let missing = 0;
  for (let i = 0; i < n; i++) {
    if (size > 0 && ring[head] <= i - period) {
      head = head + 1 === period ? 0 : head + 1;
      size--;
    }
    const x = src[i];
    if (x - x === 0) {
      while (size > 0) {
        let back = head + size - 1;
        if (back >= period) back -= period;
        const v = src[ring[back]];
        if (isMax ? v <= x : v >= x) size--;
        else break;
      }
      let slot = head + size;
      if (slot >= period) slot -= period;
      ring[slot] = i;
      size++;
    } else {
      missing++;
    }
    if (i >= period) {
      const old = src[i - period];
      if (old - old !== 0) missing--;
    }
    out[i] = i >= period - 1 && missing === 0 ? src[ring[head]] : NaN;
  }
  return out;
}

/**
 * Highest value of the last `period` bars, current bar included.
 * Warm-up: `period - 1` bars. Windows holding a non-finite value are NaN.
 */
export const rollingMax = withWarmup(
  function rollingMax(src: ArrayLike<number>, period: number): Float64Array {
    return rollingExtreme("rollingMax", src, period, true);
  },
  (period: number): number => period - 1,
);

/**
 * Lowest value of the last `period` bars, current bar included.
 * Warm-up: `period - 1` bars. Windows holding a non-finite value are NaN.
 */
export const rollingMin = withWarmup(
  function rollingMin(src: ArrayLike<number>, period: number): Float64Array {
    return rollingExtreme("rollingMin", src, period, false);
  },
  (period: number): number => period - 1,
);

/** Same as {@link rollingMax} (Pine-style name). Warm-up: `period - 1` bars. */
export const highest = withWarmup(
  function highest(src: ArrayLike<number>, period: number): Float64Array {
    return rollingExtreme("highest", src, period, true);
  },
  (period: number): number => period - 1,
);

/** Same as {@link rollingMin} (Pine-style name). Warm-up: `period - 1` bars. */
export const lowest = withWarmup(
  function lowest(src: ArrayLike<number>, period: number): Float64Array {
    return rollingExtreme("lowest", src, period, false);
  },
  (period: number): number => period - 1,
);
