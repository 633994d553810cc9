/**
 * Shared precomputation for SMA-crossover sweeps, done once per symbol and sweep:
 *
 * - the crossing events of EVERY window pair, found without comparing every pair on every bar: the
 *   windows are kept sorted by their SMA value (`lib/indicators` `sma`, same numbers as a strategy
 *   that calls it) and re-sorted bar by bar with insertion sort, whose adjacent swaps are exactly
 *   the pairs whose order changed. Work per bar is O(windows + swaps) instead of O(pairs) (about
 *   200 steps instead of 4,851 compares for windows 2..100);
 * - sparse tables of the running max/min of the close, so the kernel can bound a position's equity
 *   over a stretch of bars in O(1).
 *
 * A pair's state on a bar is `sign(smaA - smaB)` (0 when equal or during warm-up). An up-cross is a
 * bar whose state is +1 right after a bar at -1, a down-cross the reverse: identical to
 * `a[i-1] < b[i-1] && a[i] > b[i]` (a bar of equality in between is not a cross).
 *
 * The work splits by bar range ("parts", see {@link CrossPlan}): a crossing on bar t depends only on
 * the SMAs of bars t-1 and t, and which pairs swap does not depend on how ties were ordered before,
 * so each part starts from its first bar's order (a plain sort) and finds exactly the events a
 * single pass would. Each part files its events per pair in its own segment of the shared arrays,
 * so parts never wait for each other; the kernel walks a pair's segments in bar order. The worker
 * pool runs the parts on its threads; `prepareCross` is one part.
 * Every shared typed array is allocated through an {@link ArrayAlloc}, so the pool can place them in
 * SharedArrayBuffers that its threads read without copying.
 */
import { sma } from "../indicators/trend/sma";

/**
 * Allocator for the precomputed arrays (heap by default; the pool passes a shared-memory one).
 * Arrays come zeroed, except that with `overwritten` (the caller writes every element before it
 * reads it) an allocator that reuses memory may skip the zeroing.
 */
export interface ArrayAlloc {
  f64(length: number, overwritten?: boolean): Float64Array;
  i32(length: number, overwritten?: boolean): Int32Array;
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

/** What the event kernel reads (structured-clone friendly). */
export interface CrossEvents {
  bars: number;
  /** Distinct window lengths, ascending. */
  windows: Int32Array;
  /** `windowIndex[w]` = position of window `w` in `windows`, -1 when not prepared. */
  windowIndex: Int32Array;
  /** Bar-range segments the events are filed in (1 from `prepareCross`). */
  segments: number;
  /**
   * Per segment s (in bar order) a CSR over pairs `i < j` (key `i * W + j`): the pair's events of
   * segment s are `events[offsets[s * (W² + 1) + key] .. offsets[s * (W² + 1) + key + 1])`.
   */
  offsets: Int32Array;
  /** `bar * 2 + up`, ascending by bar within a pair; up = 1 when the SMA of `windows[i]` crossed above that of `windows[j]`. */
  events: Int32Array;
  /** Sparse tables, `levels × bars`: level k, index t = max/min of close[t .. t + 2^k). */
  closeMax: Float64Array;
  closeMin: Float64Array;
}

/** Everything the SMA-cross sweep shares across combos: the events plus the close they were found on. */
export interface CrossCache extends CrossEvents {
  /** The close the SMAs are computed on (a combo's full signals are recomputed from it when needed). */
  close: Float64Array;
}

/**
 * A prepare split into `parts` bar ranges. Every array is shared (allocated by `planCross`); each
 * part runs `runPart` (any order, any thread) and files its events in its own segment: part p's
 * share of `eventSpace` is `[p · room/parts, (p + 1) · room/parts)`. When a part does not fit, the
 * prepare is planned again with the room it asked for.
 */
export interface CrossPlan {
  close: Float64Array;
  windows: Int32Array;
  windowIndex: Int32Array;
  /** Part p finds the crossings on bars `[bounds[p], bounds[p + 1])`. */
  bounds: Int32Array;
  /** Segment offsets, as {@link CrossEvents.offsets} (segment p = part p). */
  offsets: Int32Array;
  /** Room for the events, shared equally by the parts. */
  eventSpace: Int32Array;
  closeMax: Float64Array;
  closeMin: Float64Array;
}

/**
 * One part's crossings in scan order and its per-pair counts, in the memory of the thread that
 * runs the part, until they are filed. Reusable from one prepare to the next.
 */
export class CrossLog {
  /** Pair key (`i * W + j`, i < j) of each event. */
  pair: Int32Array;
  /** `bar * 2 + up` of each event. */
  ev: Int32Array;
  count = 0;
  /** `dirKey[x * W + y]` = pair key · 2 + (1 when y is the lower index): "x fell below y" as an event of the pair. */
  dirKey = new Int32Array(0);
  keyW = -1;
  prev = new Float64Array(0);
  cur = new Float64Array(0);
  sums = new Float64Array(0);
  order = new Int32Array(0);
  /** Events per pair key. */
  counts = new Int32Array(0);

  /** `capacity`: events to make room for at first (it grows as needed). */
  constructor(capacity = 1 << 14) {
    this.pair = new Int32Array(Math.max(16, capacity));
    this.ev = new Int32Array(Math.max(16, capacity));
  }

  /** Sizes the per-window scratch for `W` windows. */
  fit(W: number): void {
    if (this.keyW === W) return;
    const dk = new Int32Array(W * W);
    for (let x = 0; x < W; x++) {
      for (let y = x + 1; y < W; y++) {
        dk[x * W + y] = (x * W + y) * 2;
        dk[y * W + x] = (x * W + y) * 2 + 1;
      }
    }
    this.dirKey = dk;
    this.keyW = W;
    this.prev = new Float64Array(W);
    this.cur = new Float64Array(W);
    this.sums = new Float64Array(W);
    this.order = new Int32Array(W);
    this.counts = new Int32Array(W * W);
  }

  grow(): void {
    const pair = new Int32Array(this.pair.length * 2),
      ev = new Int32Array(this.ev.length * 2);
    pair.set(this.pair);
    ev.set(this.ev);
    this.pair = pair;
    this.ev = ev;
  }
}

/** Fills level-k range max/min tables over `x` (k = 0 .. floor(log2 n); `levels × n` each). */
export function sparseTablesInto(x: Float64Array, max: Float64Array, min: Float64Array): void {
  const n = x.length;
  const levels = n > 0 ? 32 - Math.clz32(n) : 1;
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
}

/** Length of each sparse table over `n` values. */
function tableLength(n: number): number {
  return (n > 0 ? 32 - Math.clz32(n) : 1) * n;
}

/** Builds level-k range max/min tables over `x` (k = 0 .. floor(log2 n)). */
export function sparseTables(x: Float64Array, alloc: ArrayAlloc): { max: Float64Array; min: Float64Array } {
  const max = alloc.f64(tableLength(x.length)),
    min = alloc.f64(tableLength(x.length));
  sparseTablesInto(x, max, min);
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
 * Allocates a prepare over `close` split into `parts` bar ranges (at most one per bar) with room
 * for `room` events (default: an estimate of 1 event per 32 pair-bars; a daily random walk has
 * about 1 per 43). Part boundaries split the bars evenly.
 * @throws RangeError on a window below 1 or not an integer.
 */
export function planCross(
  close: Float64Array,
  windowList: Iterable<number>,
  alloc: ArrayAlloc,
  parts: number,
  room?: number,
): CrossPlan {
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
  const np = Math.max(1, Math.min(Math.floor(parts), n));
  const bounds = alloc.i32(np + 1);
  for (let p = 0; p <= np; p++) bounds[p] = Math.round((p * n) / np);
  const pairs = (W * (W - 1)) / 2;
  return {
    close,
    windows,
    windowIndex,
    bounds,
    // Every part writes all its offsets; only filed events and filled table cells are ever read.
    offsets: alloc.i32(np * (W * W + 1), true),
    eventSpace: alloc.i32(room ?? Math.ceil((pairs * n) / 32) + 4096 * np, true),
    closeMax: alloc.f64(tableLength(n), true),
    closeMin: alloc.f64(tableLength(n), true),
  };
}

/** Number of parts of a plan. */
export function partsOf(plan: CrossPlan): number {
  return plan.bounds.length - 1;
}

/**
 * Part `p`, first step: finds the crossings of every pair on its bars into `log` (returned; a fresh
 * one when not given) with their per-pair counts. Part 0 also fills the range tables.
 * SMAs are running sums carried from bar 0 with exactly `sma`'s operations (add the newest close,
 * emit once warm, drop the oldest), so every part sees the same values as one full pass.
 */
export function scanPart(plan: CrossPlan, p: number, log: CrossLog = new CrossLog()): CrossLog {
  const { close, windows } = plan;
  const W = windows.length;
  const t0 = plan.bounds[p],
    t1 = plan.bounds[p + 1];
  log.count = 0;
  if (p === 0) sparseTablesInto(close, plan.closeMax, plan.closeMin);
  log.fit(W);
  const counts = log.counts;
  counts.fill(0);
  if (t1 <= t0 || W === 0) return log;
  let prev = log.prev,
    cur = log.cur;
  const order = log.order,
    dirKey = log.dirKey;
  const rows = smaRows(close, windows, log.sums);
  // Bar b0 only gives the starting order; crossings are found on bars (b0, t1) (bar 0 has none).
  const b0 = t0 > 0 ? t0 - 1 : 0;
  rows.skipTo(b0);
  let valid = rows.row(b0, cur);
  // Windows warm on b0, sorted by value (how ties are ordered does not change which pairs cross).
  for (let i = 0; i < valid; i++) order[i] = i;
  const init = order.subarray(0, valid);
  const byValue = cur;
  init.sort((a, b) => byValue[a] - byValue[b] || a - b);
  let len = valid;
  let pairLog = log.pair,
    evLog = log.ev,
    cap = pairLog.length,
    c = 0;
  for (let t = b0 + 1; t < t1; t++) {
    const tmp = prev;
    prev = cur;
    cur = tmp;
    valid = rows.row(t, cur);
    // Insertion sort; every shift is a pair whose order changed. It is a cross when the pair was
    // strictly the other way round on the previous bar (a pair leaving or entering a tie is not).
    for (let k = 1; k < len; k++) {
      const x = order[k],
        vx = cur[x];
      let j = k - 1;
      for (; j >= 0; j--) {
        const y = order[j];
        if (!(cur[y] > vx)) break;
        if (prev[x] > prev[y]) {
          if (c === cap) {
            log.grow();
            pairLog = log.pair;
            evLog = log.ev;
            cap = pairLog.length;
          }
          const dk = dirKey[x * W + y];
          pairLog[c] = dk >> 1;
          evLog[c] = t * 2 + (dk & 1);
          counts[dk >> 1]++;
          c++;
        }
        order[j + 1] = y;
      }
      order[j + 1] = x;
    }
    // Windows whose warm-up ends on this bar join the order (no cross: their previous value is NaN).
    for (; len < valid; len++) {
      const x = len,
        vx = cur[x];
      let j = len - 1;
      for (; j >= 0 && cur[order[j]] > vx; j--) order[j + 1] = order[j];
      order[j + 1] = x;
    }
  }
  log.count = c;
  log.prev = prev;
  log.cur = cur;
  return log;
}

/**
 * Every window's SMA, one bar at a time (exported for tests). For finite closes the running sums live in `sums` (one per
 * window, the same sequence of additions as `sma`); otherwise the rows come from `sma` itself
 * (NaN while a non-finite close is inside the window).
 */
export function smaRows(close: Float64Array, windows: Int32Array, sums: Float64Array) {
  const W = windows.length;
  let finite = true;
  for (let t = 0; t < close.length && finite; t++) finite = close[t] - close[t] === 0;
  const full = finite ? null : Array.from(windows, (w) => sma(close, w));
  let at = 0,
    warm = 0; // bars < at are summed; windows[0 .. warm) are warm on bar at - 1
  sums.fill(0);
  return {
    /** Advances the sums over bars [at, b) without emitting. */
    skipTo(b: number): void {
      if (full) return void (at = b);
      for (let t = at; t < b; t++) {
        const x = close[t];
        while (warm < W && windows[warm] - 1 <= t) warm++;
        for (let i = 0; i < warm; i++) sums[i] = sums[i] + x - close[t - windows[i] + 1];
        for (let i = warm; i < W; i++) sums[i] += x;
      }
      at = b;
    },
    /** Writes bar t's SMAs (t = the next bar) into `out`; returns how many windows are warm. */
    row(t: number, out: Float64Array): number {
      while (warm < W && windows[warm] - 1 <= t) warm++;
      at = t + 1;
      if (full) {
        for (let i = 0; i < W; i++) out[i] = full[i][t];
        return warm;
      }
      const x = close[t];
      for (let i = 0; i < warm; i++) {
        const w = windows[i];
        const s = sums[i] + x;
        out[i] = s / w;
        sums[i] = s - close[t - w + 1];
      }
      for (let i = warm; i < W; i++) {
        sums[i] += x;
        out[i] = NaN;
      }
      return warm;
    },
  };
}

/**
 * Part `p`, second step: files the logged events by pair into `events[start ..]` (room for
 * `log.count` needed) and writes segment p's offsets.
 */
export function fileEvents(plan: CrossPlan, p: number, log: CrossLog, events: Int32Array, start: number): void {
  const P = plan.windows.length ** 2;
  const offsets = plan.offsets.subarray(p * (P + 1), (p + 1) * (P + 1));
  const counts = log.counts;
  let at = start;
  for (let k = 0; k < P; k++) {
    offsets[k] = at;
    at += counts[k];
  }
  offsets[P] = at;
  // The offsets serve as write cursors: afterwards offsets[k] is where pair k ends, i.e. where
  // pair k + 1 starts, so shifting them up by one restores them.
  const pair = log.pair,
    ev = log.ev;
  for (let e = 0, c = log.count; e < c; e++) events[offsets[pair[e]]++] = ev[e];
  for (let k = P - 1; k > 0; k--) offsets[k] = offsets[k - 1];
  if (P > 0) offsets[0] = start;
}

/**
 * Runs part `p` of a plan whole: scans its bars and files the events in its share of
 * `eventSpace`. `room` is the room the plan would need if every part were this size; `fits` is
 * false (and nothing is filed) when the share is too small.
 */
export function runPart(
  plan: CrossPlan,
  p: number,
  log: CrossLog = new CrossLog(),
): { log: CrossLog; room: number; fits: boolean } {
  scanPart(plan, p, log);
  const parts = partsOf(plan);
  const share = Math.floor(plan.eventSpace.length / parts);
  const room = log.count * parts;
  if (log.count > share) return { log, room, fits: false };
  fileEvents(plan, p, log, plan.eventSpace, p * share);
  return { log, room, fits: true };
}

/** The cache of a plan whose parts have all filed their events (into `events`). */
export function crossCacheOf(plan: CrossPlan, events: Int32Array): CrossCache {
  return {
    bars: plan.close.length,
    windows: plan.windows,
    windowIndex: plan.windowIndex,
    segments: partsOf(plan),
    offsets: plan.offsets,
    events,
    closeMax: plan.closeMax,
    closeMin: plan.closeMin,
    close: plan.close,
  };
}

let serialLog: CrossLog | null = null;

/**
 * Precomputes the crossing events of every pair of `windows` and the close range tables, in one
 * part on the calling thread.
 * @throws RangeError on a window below 1 or not an integer.
 */
export function prepareCross(
  close: Float64Array,
  windowList: Iterable<number>,
  alloc: ArrayAlloc = HEAP_ALLOC,
): CrossCache {
  const plan = planCross(close, windowList, alloc, 1, 0);
  // One log reused from call to call (scratch memory only: nothing of it outlives the call).
  serialLog ??= new CrossLog(1 << 18);
  const log = scanPart(plan, 0, serialLog);
  const events = alloc.i32(log.count);
  fileEvents(plan, 0, log, events, 0);
  if (log.pair.length > 1 << 22) serialLog = null; // do not hold on to more than 32 MB
  return crossCacheOf(plan, events);
}
