/**
 * Seeded synthetic daily bars for the benchmarks (a log-normal random walk with overnight gaps).
 * Deterministic for a given seed; not a model of any market.
 */
import type { BarSeries } from "@/lib/data/bars";

/** mulberry32: small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = 1 - rand(),
    v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** `bars` daily bars starting 2010-01-04 (weekdays only), seeded. */
export function randomWalk(symbol: string, bars: number, seed: number): BarSeries {
  const rand = mulberry32(seed);
  const s: BarSeries = {
    symbol,
    timestampsMs: new Float64Array(bars),
    open: new Float64Array(bars),
    high: new Float64Array(bars),
    low: new Float64Array(bars),
    close: new Float64Array(bars),
    volume: new Float64Array(bars),
  };
  let prev = 50 + 100 * rand();
  let ts = Date.UTC(2010, 0, 4);
  for (let i = 0; i < bars; i++) {
    const o = prev * Math.exp(0.004 * gaussian(rand));
    const c = o * Math.exp(0.0003 + 0.018 * gaussian(rand));
    s.open[i] = o;
    s.close[i] = c;
    s.high[i] = Math.max(o, c) * (1 + 0.006 * rand());
    s.low[i] = Math.min(o, c) * (1 - 0.006 * rand());
    s.volume[i] = Math.floor(1e5 + 1e6 * rand());
    s.timestampsMs[i] = ts;
    ts += 86_400_000 * (new Date(ts).getUTCDay() === 5 ? 3 : 1);
    prev = c;
  }
  return s;
}

/** SMA(fast)/SMA(slow) crossover signals computed with a plain running sum (bench-local helper). */
export function smaCrossSignals(
  close: Float64Array,
  fast: number,
  slow: number,
): { entries: Uint8Array; exits: Uint8Array } {
  const sma = (w: number) => {
    const out = new Float64Array(close.length).fill(NaN);
    let sum = 0;
    for (let i = 0; i < close.length; i++) {
      sum += close[i];
      if (i >= w) sum -= close[i - w];
      if (i >= w - 1) out[i] = sum / w;
    }
    return out;
  };
  const f = sma(fast),
    s = sma(slow);
  const entries = new Uint8Array(close.length),
    exits = new Uint8Array(close.length);
  for (let i = 1; i < close.length; i++) {
    entries[i] = f[i - 1] < s[i - 1] && f[i] > s[i] ? 1 : 0;
    exits[i] = f[i - 1] > s[i - 1] && f[i] < s[i] ? 1 : 0;
  }
  return { entries, exits };
}

/** Median of a list (mean of the middle two for even lengths). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
