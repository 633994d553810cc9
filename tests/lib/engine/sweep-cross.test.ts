/**
 * The insertion-sort crossing events equal a brute-force scan of every pair, ties and warm-up
 * included, whether found in one pass or in parts by bar range (as the worker pool does).
 */
import { describe, expect, it } from "vitest";
import { sma } from "@/lib/indicators/trend/sma";
import {
  crossCacheOf,
  HEAP_ALLOC,
  planCross,
  prepareCross,
  rangeMax,
  rangeMin,
  runPart,
  smaRows,
  type CrossEvents,
} from "@/lib/engine/sweep-cross";
import { loadGoog } from "./goog-fixture";

/** Reference: `a[i-1] < b[i-1] && a[i] > b[i]` (+1) or the reverse (-1), bar by bar. */
function bruteForce(a: Float64Array, b: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 1; i < a.length; i++) {
    if (a[i - 1] < b[i - 1] && a[i] > b[i]) out.push(i * 2 + 1);
    else if (a[i - 1] > b[i - 1] && a[i] < b[i]) out.push(i * 2);
  }
  return out;
}

/**
 * The plan's parts run by hand in reverse order, each on its own log, as threads would; planned
 * again with the room the parts asked for when the first plan was too small (as the pool does).
 */
function inParts(close: Float64Array, windows: number[], parts: number, room?: number): CrossEvents {
  const plan = planCross(close, windows, HEAP_ALLOC, parts, room);
  let need = 0,
    fit = true;
  for (let p = parts - 1; p >= 0; p--) {
    const r = runPart(plan, p);
    need = Math.max(need, r.room);
    fit &&= r.fits;
  }
  if (!fit) {
    expect(room).toBeUndefined();
    return inParts(close, windows, parts, need);
  }
  const c = crossCacheOf(plan, plan.eventSpace);
  expect(c.segments).toBe(parts);
  return c;
}

/** A pair's events over every segment, in order. */
function pairEvents(c: CrossEvents, key: number): number[] {
  const stride = c.windows.length ** 2 + 1;
  const out: number[] = [];
  for (let s = 0; s < c.segments; s++)
    out.push(...c.events.subarray(c.offsets[s * stride + key], c.offsets[s * stride + key + 1]));
  return out;
}

function checkAllPairs(close: Float64Array, windows: number[], parts = 1): number {
  const c = parts === 1 ? prepareCross(close, windows) : inParts(close, windows, parts);
  const W = c.windows.length;
  const rows = Array.from(c.windows, (w) => sma(close, w));
  let total = 0;
  for (let i = 0; i < W; i++) {
    for (let j = i + 1; j < W; j++) {
      const key = i * W + j;
      const got = pairEvents(c, key);
      expect(got, `windows ${c.windows[i]}/${c.windows[j]}`).toEqual(bruteForce(rows[i], rows[j]));
      total += got.length;
    }
  }
  return total;
}

describe("prepareCross", () => {
  it("finds every cross of every pair on GOOG (windows 2..40)", () => {
    const goog = loadGoog();
    expect(
      checkAllPairs(
        goog.close,
        Array.from({ length: 39 }, (_, k) => k + 2),
      ),
    ).toBeGreaterThan(1000);
  });

  it("finds the same events when split into parts by bar range (GOOG, windows 2..40)", () => {
    const goog = loadGoog();
    const windows = Array.from({ length: 39 }, (_, k) => k + 2);
    const one = checkAllPairs(goog.close, windows);
    for (const parts of [2, 3, 7]) expect(checkAllPairs(goog.close, windows, parts)).toBe(one);
  });

  it("gives every window exactly the SMA of lib/indicators, row by row from any bar", () => {
    const close = loadGoog().close.subarray(0, 400);
    const windows = Int32Array.from([1, 2, 3, 7, 50, 99, 200]);
    const ref = Array.from(windows, (w) => sma(close, w));
    for (const from of [0, 1, 150, 399]) {
      const rows = smaRows(close, windows, new Float64Array(windows.length));
      rows.skipTo(from);
      const out = new Float64Array(windows.length);
      for (let t = from; t < close.length; t++) {
        rows.row(t, out);
        windows.forEach((_, i) => expect(Object.is(out[i], ref[i][t]), `window ${windows[i]} bar ${t}`).toBe(true));
      }
    }
  });

  it("handles ties: flat stretches where SMAs are equal are not crosses", () => {
    // Integer prices with long flat runs make many SMAs exactly equal; a pass through equality is no cross.
    const close = Float64Array.from([
      10, 10, 10, 10, 12, 12, 12, 8, 8, 8, 8, 8, 8, 11, 11, 11, 11, 9, 9, 10, 10, 10, 10, 10, 13, 7, 7, 7, 7, 7,
    ]);
    checkAllPairs(close, [1, 2, 3, 4, 5, 6]);
    for (const parts of [2, 5, 30]) checkAllPairs(close, [1, 2, 3, 4, 5, 6], parts);
  });

  it("answers range max/min queries like a scan", () => {
    const close = loadGoog().close.subarray(0, 300);
    const c = prepareCross(Float64Array.from(close), [2, 3]);
    for (const [a, b] of [
      [0, 1],
      [0, 300],
      [17, 18],
      [5, 133],
      [100, 228],
      [299, 300],
    ]) {
      const part = Array.from(close.subarray(a, b));
      expect(rangeMax(c.closeMax, 300, a, b)).toBe(Math.max(...part));
      expect(rangeMin(c.closeMin, 300, a, b)).toBe(Math.min(...part));
    }
  });
});
