/**
 * Per-bar curves derived from prices or equity.
 */
import type { BarSeries } from "../data/bars";

/**
 * `equity[t] / max(equity[0..t]) - 1`: 0 at a new high, negative in a drawdown (fraction, -0.33 = -33 %).
 */
export function drawdownSeries(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i];
    if (e > peak) peak = e;
    out[i] = peak > 0 ? e / peak - 1 : 0;
  }
  return out;
}

/**
 * Equal-weight buy-and-hold of the universe bought at the first close, without costs, fractional
 * units: `initialCash × mean_k(close_k[t] / close_k[0])`. For one symbol its last value over
 * `initialCash` is the classic buy-and-hold return `close[last] / close[0] - 1`.
 */
export function benchmarkEquity(universe: readonly BarSeries[], initialCash: number): Float64Array {
  const n = universe[0].close.length;
  const out = new Float64Array(n);
  for (const s of universe) {
    const c = s.close;
    const w = initialCash / universe.length / c[0];
    for (let i = 0; i < n; i++) out[i] += w * c[i];
  }
  return out;
}
