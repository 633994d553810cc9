/**
 * Shared precomputation for SMA-crossover sweeps, done once per symbol and sweep:
 *
 * - the SMA of every window used by the combos (`lib/indicators` `sma`, same numbers as a strategy
 *   that calls it), as one row-major matrix;
 * - the crossing events of EVERY window pair, found without comparing every pair on every bar: the
 *   windows are kept sorted by their SMA value and re-sorted bar by bar with insertion sort, whose
 *   adjacent swaps are exactly the pairs whose order changed. Work per bar is O(windows + swaps)
 *   instead of O(pairs) (about 200 steps instead of 4,851 compares for windows 2..100);
 * - sparse tables of the running max/min of the close, so the kernel can bound a position's equity
 *   over a stretch of bars in O(1).
 *
 * A pair's state on a bar is `sign(smaA - smaB)` (0 when equal or during warm-up). An up-cross is a
 * bar whose state is +1 right after a bar at -1, a down-cross the reverse: identical to
 * `a[i-1] < b[i-1] && a[i] > b[i]` (a bar of equality in between is not a cross).
 * Every typed array is allocated through an {@link ArrayAlloc}, so the worker pool can place them
 * in SharedArrayBuffers that its threads read without copying.
 */
import { sma } from "../indicators/trend/sma";

/** Allocator for the precomputed arrays (heap by default; the pool passes a shared-memory one). */
export interface ArrayAlloc {
  f64(length: number): Float64Array;
  i32(length: number): Int32Array;
  i8(length: number): Int8Array;
}

/** Ordinary heap-backed arrays. */
export const HEAP_ALLOC: ArrayAlloc = {
  f64: (n) => new Float64Array(n),
  i32: (n) => new Int32Array(n),
  i8: (n) => new Int8Array(n),
};

/** Arrays in SharedArrayBuffers (readable by worker threads without a copy). */
export const SHARED_ALLOC: ArrayAlloc = {
  f64: (n) => new Float64Array(new SharedArrayBuffer(n * 8)),
  i32: (n) => new Int32Array(new SharedArrayBuffer(n * 4)),
  i8: (n) => new Int8Array(new SharedArrayBuffer(n)),
};

/** Everything the SMA-cross sweep shares across combos (structured-clone friendly). */
export interface CrossCache {
  bars: number;
  /** Distinct window lengths, ascending. */
  windows: Int32Array;
  /** `windowIndex[w]` = position of window `w` in `windows`, -1 when not prepared. */
  windowIndex: Int32Array;
  /** Bar-major `bars × windows.length`: `sma[t * W + i]` is the SMA of `windows[i]` on bar t (NaN warm-up). */
  sma: Float64Array;
  /** CSR over pairs `i < j` (key `i * W + j`): the pair's events are `events[offsets[key] .. offsets[key + 1])`. */
  offsets: Int32Array;
  /** `bar * 2 + up`, ascending by bar within a pair; up = 1 when the SMA of `windows[i]` crossed above that of `windows[j]`. */
  events: Int32Array;
  /** Sparse tables, `levels × bars`: level k, index t = max/min of close[t .. t + 2^k). */
  closeMax: Float64Array;
  closeMin: Float64Array;
}

/** Builds level-k range max/min tables over `x` (k = 0 .. floor(log2 n)). */
export function sparseTables(x: Float64Array, alloc: ArrayAlloc): { max: Float64Array; min: Float64Array } {
  const n = x.length;
  const levels = n > 0 ? 32 - Math.clz32(n) : 1;
  const max = alloc.f64(levels * n),
    min = alloc.f64(levels * n);
  max.set(x);
  min.set(x);
  for (let k = 1; k < levels; k++) {
    const half = 1 << (k - 1),
      row = k * n,
      prev = (k - 1) * n;
    for (let t = 0; t + (1 << k) <= n; t++) {
      const a = max[prev + t],
        b = max[prev + t + half];
      max[row + t] = a > b ? a : b;
      const c = min[prev + t],
        d = min[prev + t + half];
      min[row + t] = c < d ? c : d;
    }
  }
  return { max, min };
}

/** Max (`table` = closeMax) or min of close over bars [a, b), b > a, via two table reads. */
export function rangeMax(table: Float64Array, n: number, a: number, b: number): number {
  const k = 31 - Math.clz32(b - a);
  const x = table[k * n + a],
    y = table[k * n + b - (1 << k)];
  return x > y ? x : y;
}

/** See {@link rangeMax}. */
export function rangeMin(table: Float64Array, n: number, a: number, b: number): number {
  const k = 31 - Math.clz32(b - a);
  const x = table[k * n + a],
    y = table[k * n + b - (1 << k)];
  return x < y ? x : y;
}

/**
 * Precomputes SMAs, crossing events of every pair of `windows` and the close range tables.
 * @throws RangeError on a window below 1 or not an integer.
 */
export function prepareCross(
  close: Float64Array,
  windowList: Iterable<number>,
  alloc: ArrayAlloc = HEAP_ALLOC,
): CrossCache {
  const n = close.length;
  const uniq = [...new Set(windowList)].sort((a, b) => a - b);
  for (const w of uniq)
    if (!Number.isInteger(w) || w < 1) throw new RangeError(`sma-cross: window must be an integer >= 1, got ${w}`);
  const W = uniq.length;
  const windows = alloc.i32(W);
  windows.set(uniq);
  const windowIndex = alloc.i32((uniq[W - 1] ?? 0) + 1).fill(-1);
  uniq.forEach((w, i) => {
    windowIndex[w] = i;
  });
  // Bar-major (row t = every window's SMA on bar t): the re-sort reads one short row per bar.
  const smaT = alloc.f64(W * n);
  uniq.forEach((w, i) => {
    const row = sma(close, w);
    for (let t = 0; t < n; t++) smaT[t * W + i] = row[t];
  });

  // dirKey[x * W + y] = pair key (lower index · W + higher index) · 2 + (1 when y is the lower one):
  // "x crossed below y" as an event of the unordered pair, direction in the low bit (1 = lower crossed above).
  const dirKey = new Int32Array(W * W);
  for (let x = 0; x < W; x++) {
    for (let y = x + 1; y < W; y++) {
      dirKey[x * W + y] = (x * W + y) * 2;
      dirKey[y * W + x] = (x * W + y) * 2 + 1;
    }
  }
  let cap = 1 << 15,
    logKey = new Int32Array(cap),
    logBar = new Int32Array(cap),
    count = 0;
  const order = new Int32Array(W); // valid windows sorted by value on the previous bar (ties keep their order)
  let len = 0,
    nextValid = 0; // windows[nextValid..] are still in warm-up
  for (let t = 0; t < n; t++) {
    const now = t * W,
      prev = now - W;
    // Insertion sort; every shift is a pair whose order changed. It is a cross when the pair was
    // strictly the other way round on the previous bar (a pair leaving or entering a tie is not).
    for (let k = 1; k < len; k++) {
      const x = order[k],
        vx = smaT[now + x];
      let j = k - 1;
      for (; j >= 0; j--) {
        const y = order[j];
        if (!(smaT[now + y] > vx)) break;
        if (smaT[prev + x] > smaT[prev + y]) {
          if (count === cap) {
            cap *= 2;
            const nk = new Int32Array(cap),
              nb = new Int32Array(cap);
            nk.set(logKey);
            nb.set(logBar);
            logKey = nk;
            logBar = nb;
          }
          logKey[count] = dirKey[x * W + y];
          logBar[count] = t;
          count++;
        }
        order[j + 1] = y;
      }
      order[j + 1] = x;
    }
    // Windows whose warm-up ends on this bar join the order (no cross: their previous value is NaN).
    while (nextValid < W && windows[nextValid] - 1 <= t) {
      const x = nextValid++,
        vx = smaT[now + x];
      let j = len - 1;
      for (; j >= 0 && smaT[now + order[j]] > vx; j--) order[j + 1] = order[j];
      order[j + 1] = x;
      len++;
    }
  }

  // Counting sort of the log by pair (stable: bars stay ascending within a pair).
  const offsets = alloc.i32(W * W + 1);
  for (let e = 0; e < count; e++) offsets[(logKey[e] >> 1) + 1]++;
  for (let k = 0; k < W * W; k++) offsets[k + 1] += offsets[k];
  const fillAt = Int32Array.from(offsets.subarray(0, W * W));
  const events = alloc.i32(count);
  for (let e = 0; e < count; e++) {
    const dk = logKey[e];
    events[fillAt[dk >> 1]++] = logBar[e] * 2 + (dk & 1);
  }
  const { max, min } = sparseTables(close, alloc);
  return { bars: n, windows, windowIndex, sma: smaT, offsets, events, closeMax: max, closeMin: min };
}
