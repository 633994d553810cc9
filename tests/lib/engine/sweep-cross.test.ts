/** The insertion-sort crossing events equal a brute-force scan of every pair, ties and warm-up included. */
import { describe, expect, it } from "vitest";
import { sma } from "@/lib/indicators/trend/sma";
import { prepareCross, rangeMax, rangeMin } from "@/lib/engine/sweep-cross";
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

function checkAllPairs(close: Float64Array, windows: number[]): number {
  const c = prepareCross(close, windows);
  const W = c.windows.length,
    n = close.length;
  const rows = Array.from(c.windows, (w) => sma(close, w));
  let total = 0;
  for (let i = 0; i < W; i++) {
    for (let t = 0; t < n; t++) expect(Object.is(c.sma[t * W + i], rows[i][t])).toBe(true);
    for (let j = i + 1; j < W; j++) {
      const key = i * W + j;
      const got = Array.from(c.events.subarray(c.offsets[key], c.offsets[key + 1]));
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

  it("handles ties: flat stretches where SMAs are equal are not crosses", () => {
    // Integer prices with long flat runs make many SMAs exactly equal; a pass through equality is no cross.
    const close = Float64Array.from([
      10, 10, 10, 10, 12, 12, 12, 8, 8, 8, 8, 8, 8, 11, 11, 11, 11, 9, 9, 10, 10, 10, 10, 10, 13, 7, 7, 7, 7, 7,
    ]);
    checkAllPairs(close, [1, 2, 3, 4, 5, 6]);
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
