/**
 * Market regime context for an improvement iteration: trend and volatility of the universe over
 * the bars the loop may see (never the holdout). Plain numbers the model's prompt carries.
 */
import type { BarSeries } from "@/lib/data/bars";

export interface MarketRegime {
  /** "uptrend" when more than 60 % of symbols close above their 200-bar SMA, "downtrend" below 40 %, else "range". */
  trend: "uptrend" | "downtrend" | "range";
  /** Share of symbols above their 200-bar SMA (or the mean of all bars when shorter) at the last bar. */
  share_above_sma200: number;
  /** Median annualized volatility of daily close-to-close returns over the last 60 bars (fraction). */
  volatility: number;
  /** "high" above 0.35, "low" below 0.15, else "normal". */
  volatility_level: "low" | "normal" | "high";
  /** Median return over the last 60 bars (fraction). */
  recent_return: number;
  /** Last bar the regime saw (ISO date). */
  as_of: string | null;
  symbols: number;
}

const median = (v: number[]): number => {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** The regime of `universe` (each series as given; pass only the bars the loop may see). */
export function marketRegime(universe: BarSeries[], periodsPerYear = 252): MarketRegime {
  const above: number[] = [];
  const vols: number[] = [];
  const rets: number[] = [];
  let lastTs = -Infinity;
  for (const s of universe) {
    const c = s.close;
    const n = c.length;
    if (n < 2) continue;
    lastTs = Math.max(lastTs, s.timestampsMs[n - 1]);
    const w = Math.min(200, n);
    let sum = 0;
    for (let i = n - w; i < n; i++) sum += c[i];
    above.push(c[n - 1] > sum / w ? 1 : 0);
    const k = Math.min(60, n - 1);
    const r: number[] = [];
    for (let i = n - k; i < n; i++) r.push(Math.log(c[i] / c[i - 1]));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, r.length - 1));
    vols.push(sd * Math.sqrt(periodsPerYear));
    rets.push(c[n - 1] / c[n - 1 - k] - 1);
  }
  const share = above.length ? above.reduce((a, b) => a + b, 0) / above.length : NaN;
  const vol = median(vols);
  return {
    trend: share > 0.6 ? "uptrend" : share < 0.4 ? "downtrend" : "range",
    share_above_sma200: share,
    volatility: vol,
    volatility_level: vol > 0.35 ? "high" : vol < 0.15 ? "low" : "normal",
    recent_return: median(rets),
    as_of: Number.isFinite(lastTs) ? new Date(lastTs).toISOString().slice(0, 10) : null,
    symbols: above.length,
  };
}
