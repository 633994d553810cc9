/**
 * A window of an SMA-cross sweep cache: the crossing events of bars `[start, end)` of a cache that
 * was prepared on `close[0 .. end)`, re-based so bar `start` is bar 0. The SMAs therefore warm up
 * on the history before the window — exactly what a backtest does that computes its signals on
 * bars `[0, end)` and simulates `[start, end)` (an optimization study's train window). Run it with
 * {@link runCrossEvents} on `open`/`close` sliced to the same window.
 */
import { HEAP_ALLOC, sparseTables, type ArrayAlloc, type CrossEvents } from "./sweep-cross";

export interface CrossWindow extends CrossEvents {
  /** Per pair key (as `offsets`): 1 when the pair has a crossing on the window's first bar. */
  eventAtStart: Uint8Array;
}

/**
 * Re-bases `cache` (prepared on `close[0 .. cache.bars)`) to bars `[start, cache.bars)`.
 * `windowClose` must be `close.subarray(start, cache.bars)`.
 */
export function crossWindow(
  cache: CrossEvents,
  windowClose: Float64Array,
  start: number,
  alloc: ArrayAlloc = HEAP_ALLOC,
): CrossWindow {
  const W = cache.windows.length;
  const n = cache.bars - start;
  if (start < 0 || n < 1 || windowClose.length !== n)
    throw new RangeError(`sma-cross window: start ${start} does not fit ${cache.bars} bars`);
  const pairs = W * W,
    stride = pairs + 1;
  const offsets = alloc.i32(pairs + 1);
  const eventAtStart = new Uint8Array(pairs);
  const src = cache.events;
  let count = 0;
  for (let k = 0; k < pairs; k++) {
    offsets[k] = count;
    for (let s = 0; s < cache.segments; s++)
      for (let q = cache.offsets[s * stride + k]; q < cache.offsets[s * stride + k + 1]; q++)
        if (src[q] >> 1 >= start) count++;
  }
  offsets[pairs] = count;
  const events = alloc.i32(count);
  let e = 0;
  for (let k = 0; k < pairs; k++) {
    for (let s = 0; s < cache.segments; s++) {
      for (let q = cache.offsets[s * stride + k]; q < cache.offsets[s * stride + k + 1]; q++) {
        const ev = src[q];
        const bar = ev >> 1;
        if (bar < start) continue;
        if (bar === start) eventAtStart[k] = 1;
        events[e++] = ((bar - start) << 1) | (ev & 1);
      }
    }
  }
  const { max, min } = sparseTables(windowClose, alloc);
  return {
    bars: n,
    windows: cache.windows,
    windowIndex: cache.windowIndex,
    segments: 1,
    offsets,
    events,
    closeMax: max,
    closeMin: min,
    eventAtStart,
  };
}
