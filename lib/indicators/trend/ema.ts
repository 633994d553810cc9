import { checkPeriod, checkSeries, firstFinite } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";

/** How an exponential average gets its first value. */
export type EmaSeed = "sma" | "first";

/**
 * Exponential smoothing `y[i] = y[i-1] + alpha * (x[i] - y[i-1])` starting at bar `start`
 * (the first finite input). Seed "sma": the first output is the mean of the first `period`
 * inputs, at `start + period - 1`. Seed "first": y[start] = x[start], outputs still NaN until
 * `start + period - 1` so both seeds share one warm-up.
 * A NaN after the start propagates to every later value.
 * @internal shared by ema, rma (Wilder) and the indicators built on them.
 */
export function expSmooth(src: ArrayLike<number>, period: number, alpha: number, seed: EmaSeed): Float64Array {
  const n = src.length;
  const out = new Float64Array(n).fill(NaN);
  const start = firstFinite(src);
  const firstOut = start + period - 1;
  if (firstOut >= n) return out;
  let y: number;
  if (seed === "sma") {
    let sum = 0;
    for (let i = start; i <= firstOut; i++) sum += src[i];
    y = sum / period;
  } else {
    y = src[start];
    for (let i = start + 1; i <= firstOut; i++) y += alpha * (src[i] - y);
  }
  out[firstOut] = y;
  for (let i = firstOut + 1; i < n; i++) {
    y += alpha * (src[i] - y);
    out[i] = y;
  }
  return out;
}

/**
 * Exponential moving average with `alpha = 2 / (period + 1)`.
 * Convention: seeded with the SMA of the first `period` values (TA-Lib, technicalindicators);
 * `{ seed: "first" }` starts from the first value instead (Tulip, trading-signals) — the two
 * differ by a term that shrinks by `(1 - alpha)` each bar.
 * Warm-up: `period - 1` bars, counted from the first finite input (so `ema(rsi(x), 9)` works).
 * @see https://www.investopedia.com/terms/e/ema.asp
 */
export const ema = withWarmup(
  function ema(src: ArrayLike<number>, period: number, options: { seed?: EmaSeed } = {}): Float64Array {
    checkSeries("ema", "src", src);
    checkPeriod("ema", "period", period);
    const seed = options.seed ?? "sma";
    if (seed !== "sma" && seed !== "first")
      throw new RangeError(`ema: seed must be "sma" or "first", got ${String(seed)}`);
    return expSmooth(src, period, 2 / (period + 1), seed);
  },
  (period: number): number => period - 1,
);
