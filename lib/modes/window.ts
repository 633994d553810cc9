/** Date-range handling for backtests: cut the history at `to` before signals, trim to `from` after. */
import type { BarSeries } from "@/lib/data/bars";
import type { SignalArrays } from "@/lib/engine/signals";

/** A requested date range leaves no bars to test. */
export class EmptyRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmptyRangeError";
  }
}

/** Index of the first timestamp >= t (binary search over ascending timestamps). */
export function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bars `[start, end)` of a series as views. */
export function sliceSeries(s: BarSeries, start: number, end: number): BarSeries {
  return {
    symbol: s.symbol,
    timestampsMs: s.timestampsMs.subarray(start, end),
    open: s.open.subarray(start, end),
    high: s.high.subarray(start, end),
    low: s.low.subarray(start, end),
    close: s.close.subarray(start, end),
    volume: s.volume.subarray(start, end),
  };
}

/** Signals `[start, end)` as views. */
export function sliceSignals(sig: SignalArrays, start: number, end: number): SignalArrays {
  const out: SignalArrays = { entries: sig.entries.subarray(start, end), exits: sig.exits.subarray(start, end) };
  for (const key of ["shortEntries", "shortExits"] as const) {
    const a = sig[key];
    if (a) out[key] = a.subarray(start, end);
  }
  for (const key of ["score", "stopLoss", "takeProfit", "confidence"] as const) {
    const a = sig[key];
    if (a) out[key] = a.subarray(start, end);
  }
  return out;
}

/** Every series cut to bars with timestamp <= toMs (inclusive). Throws when a series is left empty. */
export function cutAt(universe: BarSeries[], toMs: number | undefined): BarSeries[] {
  if (toMs === undefined) return universe;
  return universe.map((s) => {
    const end = lowerBound(s.timestampsMs, toMs + 1);
    if (end === 0)
      throw new EmptyRangeError(`${s.symbol}: no bars on or before ${new Date(toMs).toISOString().slice(0, 10)}`);
    return sliceSeries(s, 0, end);
  });
}

/** Index of the first bar at or after fromMs per series; throws when a series has none. */
export function startIndexes(universe: BarSeries[], fromMs: number | undefined): number[] {
  return universe.map((s) => {
    if (fromMs === undefined) return 0;
    const start = lowerBound(s.timestampsMs, fromMs);
    if (start >= s.close.length)
      throw new EmptyRangeError(
        `${s.symbol}: no bars between ${new Date(fromMs).toISOString().slice(0, 10)} and the end of the range`,
      );
    return start;
  });
}
