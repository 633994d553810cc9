/**
 * Loads ../shared/data/GOOG.csv (backtesting.py's own test series, see ../shared/data/README.md)
 * as a BarSeries, and an independent plain-array SMA/crossover used only by the tests.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BarSeries } from "@/lib/data/bars";

const CSV = fileURLToPath(new URL("../../../../shared/data/GOOG.csv", import.meta.url));

export function loadGoog(): BarSeries {
  const lines = readFileSync(CSV, "utf8").trim().split("\n").slice(1);
  const n = lines.length;
  const s: BarSeries = {
    symbol: "GOOG",
    timestampsMs: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  lines.forEach((line, i) => {
    const [d, o, h, l, c, v] = line.split(",");
    s.timestampsMs[i] = Date.parse(`${d}T00:00:00Z`);
    s.open[i] = Number(o);
    s.high[i] = Number(h);
    s.low[i] = Number(l);
    s.close[i] = Number(c);
    s.volume[i] = Number(v);
  });
  return s;
}

/** Rolling mean computed from scratch for every window (like pandas rolling(n).mean()), NaN warm-up. */
export function naiveSma(x: ArrayLike<number>, w: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (i < w - 1) {
      out.push(NaN);
      continue;
    }
    let s = 0;
    for (let j = i - w + 1; j <= i; j++) s += x[j];
    out.push(s / w);
  }
  return out;
}

/** backtesting.py lib.crossover semantics: a[i-1] < b[i-1] && a[i] > b[i] (NaN compares false). */
export function naiveCross(a: number[], b: number[]): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 1; i < a.length; i++) out[i] = a[i - 1] < b[i - 1] && a[i] > b[i] ? 1 : 0;
  return out;
}
