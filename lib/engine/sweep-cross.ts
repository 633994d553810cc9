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
  /** Row-major `windows.length × bars`: row i is the SMA of `windows[i]` (NaN warm-up). */
  sma: Float64Array;
  /** CSR over pairs `i < j` (key `i * W + j`): events of the pair are `evBar/evDir[offsets[key] .. offsets[key + 1])`. */
  offsets: Int32Array;
  /** Bar of each crossing, ascending within a pair. */
  evBar: Int32Array;
  /** +1: SMA of `windows[i]` crossed above that of `windows[j]`; -1: below. */
  evDir: Int8Array;
  /** Sparse tables, `levels × bars`: level k, index t = max/min of close[t .. t + 2^k). */
  closeMax: Float64Array;
  closeMin: Float64Array;
}

/** Builds level-k range max/min tables over `x` (k = 0 .. floor(log2 n)). */
function sparseTables(x: Float64Array, alloc: ArrayAlloc): { max: Float64Array; min: Float64Array } {
  const n = x.length;
  const levels = n > 0 ? 32 - Math.clz32(n) : 1;
  const max = alloc.f64(levels * n), min = alloc.f64(levels * n);
  max.set(x);
  min.set(x);
  for (let k = 1; k < levels; k++) {
    const half = 1 << (k - 1), row = k * n, prev = (k - 1) * n;
    for (let t = 0; t + (1 << k) <= n; t++) {
      const a = max[prev + t], b = max[prev + t + half];
      max[row + t] = a > b ? a : b;
      const c = min[prev + t], d = min[prev + t + half];
      min[row + t] = c < d ? c : d;
    }
  }
  return { max, min };
}

/** Max (`table` = closeMax) or min of close over bars [a, b), b > a, via two table reads. */
export function rangeMax(table: Float64Array, n: number, a: number, b: number): number {
  const k = 31 - Math.clz32(b - a);
  const x = table[k * n + a], y = table[k * n + b - (1 << k)];
  return x > y ? x : y;
}

/** See {@link rangeMax}. */
export function rangeMin(table: Float64Array, n: number, a: number, b: number): number {
  const k = 31 - Math.clz32(b - a);
  const x = table[k * n + a], y = table[k * n + b - (1 << k)];
  return x < y ? x : y;
}

/** Event log (pair key, bar, direction) in time order, grown by doubling. */
interface EventLog {
  key: Int32Array;
  bar: Int32Array;
  dir: Int8Array;
  length: number;
}

function grow(log: EventLog): void {
  const cap = log.key.length * 2;
  const key = new Int32Array(cap), bar = new Int32Array(cap), dir = new Int8Array(cap);
  key.set(log.key);
  bar.set(log.bar);
  dir.set(log.dir);
  log.key = key;
  log.bar = bar;
  log.dir = dir;
}

/** Re-evaluates pair (x, y) on bar t from the current values; logs a cross. */
function settle(x: number, y: number, W: number, v: Float64Array, state: Int8Array, log: EventLog, t: number): void {
  const i = x < y ? x : y, j = x < y ? y : x, key = i * W + j;
  const a = v[i], b = v[j];
  const st = a > b ? 1 : a < b ? -1 : 0;
  const old = state[key];
  if (st === old) return;
  state[key] = st;
  if (st + old !== 0) return; // a step to or from 0 is not a cross
  if (log.length === log.key.length) grow(log);
  log.key[log.length] = key;
  log.bar[log.length] = t;
  log.dir[log.length] = st;
  log.length++;
}

/**
 * Precomputes SMAs, crossing events of every pair of `windows` and the close range tables.
 * @throws RangeError on a window below 1 or not an integer.
 */
export function prepareCross(close: Float64Array, windowList: Iterable<number>, alloc: ArrayAlloc = HEAP_ALLOC): CrossCache {
  const n = close.length;
  const uniq = [...new Set(windowList)].sort((a, b) => a - b);
  for (const w of uniq) if (!Number.isInteger(w) || w < 1) throw new RangeError(`sma-cross: window must be an integer >= 1, got ${w}`);
  const W = uniq.length;
  const windows = alloc.i32(W);
  windows.set(uniq);
  const windowIndex = alloc.i32((uniq[W - 1] ?? 0) + 1).fill(-1);
  uniq.forEach((w, i) => { windowIndex[w] = i; });
  const smaM = alloc.f64(W * n);
  uniq.forEach((w, i) => smaM.set(sma(close, w), i * n));

  const state = new Int8Array(W * W); // sign(sma_i - sma_j) for i < j at the previous bar
  const order = new Int32Array(W); // valid windows sorted by value (ties keep their previous order)
  let len = 0;
  const v = new Float64Array(W);
  const tied = new Int32Array(W); // windows in a tie on the previous bar (their pairs may leave 0 without a swap)
  let nTied = 0;
  const log: EventLog = { key: new Int32Array(1 << 14), bar: new Int32Array(1 << 14), dir: new Int8Array(1 << 14), length: 0 };
  let nextValid = 0; // windows[nextValid..] are still in warm-up

  for (let t = 0; t < n; t++) {
    for (let i = 0; i < len; i++) { const x = order[i]; v[x] = smaM[x * n + t]; }
    // Re-sort; every shift is a pair whose order changed.
    for (let k = 1; k < len; k++) {
      const x = order[k], vx = v[x];
      let j = k - 1;
      while (j >= 0 && v[order[j]] > vx) {
        const y = order[j];
        settle(x, y, W, v, state, log, t);
        order[j + 1] = y;
        j--;
      }
      order[j + 1] = x;
    }
    // Pairs tied on the previous bar may have left the tie without a swap.
    for (let a = 0; a < nTied; a++) for (let b = a + 1; b < nTied; b++) settle(tied[a], tied[b], W, v, state, log, t);
    // Windows whose warm-up ends on this bar: insert; every pair with them gets its first state.
    while (nextValid < W && windows[nextValid] - 1 <= t) {
      const x = nextValid++;
      const vx = smaM[x * n + t];
      v[x] = vx;
      let j = len - 1;
      while (j >= 0 && v[order[j]] > vx) { order[j + 1] = order[j]; j--; }
      order[j + 1] = x;
      len++;
      for (let q = 0; q < len; q++) if (order[q] !== x) settle(x, order[q], W, v, state, log, t);
    }
    // Equal values now: their pairs go to state 0 without a swap.
    nTied = 0;
    for (let k = 1; k < len; k++) {
      if (v[order[k]] !== v[order[k - 1]]) continue;
      const x = order[k];
      if (nTied === 0 || tied[nTied - 1] !== order[k - 1]) tied[nTied++] = order[k - 1];
      tied[nTied++] = x;
      for (let q = k - 1; q >= 0 && v[order[q]] === v[x]; q--) settle(x, order[q], W, v, state, log, t);
    }
  }

  // Counting sort of the log by pair (stable: bars stay ascending).
  const offsets = alloc.i32(W * W + 1);
  for (let e = 0; e < log.length; e++) offsets[log.key[e] + 1]++;
  for (let k = 0; k < W * W; k++) offsets[k + 1] += offsets[k];
  const fillAt = Int32Array.from(offsets.subarray(0, W * W));
  const evBar = alloc.i32(log.length), evDir = alloc.i8(log.length);
  for (let e = 0; e < log.length; e++) {
    const at = fillAt[log.key[e]]++;
    evBar[at] = log.bar[e];
    evDir[at] = log.dir[e];
  }
  const { max, min } = sparseTables(close, alloc);
  return { bars: n, windows, windowIndex, sma: smaM, offsets, evBar, evDir, closeMax: max, closeMin: min };
}
