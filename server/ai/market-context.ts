import "server-only";
/**
 * The quantitative market regime of a universe, measured from its bars: an equal-weight
 * index of the symbols (each normalised to 1 at the window start), its trend over the last
 * `trendBars` bars (least-squares slope of log price, with R²) and its recent realised
 * volatility against the median of its own history. Deterministic; no model involved.
 */
import type { BarSeries } from "@/lib/data/bars";

export type TrendState = "TRENDING_UP" | "TRENDING_DOWN" | "RANGING";
export type VolatilityState = "HIGH_VOL" | "LOW_VOL";
export type Regime = `${TrendState}_${VolatilityState}`;

/** The measured regime; percentages are annualised with 252 bars per year. */
export interface MarketRegime {
  regime: Regime;
  trend: TrendState;
  volatility: VolatilityState;
  /** 0..1: how clearly the measurements sit on their side of the thresholds. */
  confidence: number;
  stats: {
    symbols: number;
    trendBars: number;
    /** Annualised drift of the index's log price over the trend window, percent. */
    annualizedTrendPct: number;
    /** R² of the log-price regression over the trend window (0..1). */
    rSquared: number;
    /** Annualised standard deviation of daily index log returns over the last `volBars`, percent. */
    recentVolPct: number;
    /** Median of that rolling volatility over the whole history, percent. */
    medianVolPct: number;
    /** Timestamp of the last bar, UTC ms. */
    asOfMs: number;
  };
}

/** Options of {@link measureRegime}. */
export interface RegimeOptions {
  trendBars?: number;
  volBars?: number;
  /** |annualised drift| at or above this (percent) with R² ≥ minRSquared counts as a trend. Default 10. */
  trendThresholdPct?: number;
  minRSquared?: number;
}

/** Too little data to measure anything. */
export class RegimeDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegimeDataError";
  }
}

const YEAR = 252;

function equalWeightIndex(universe: BarSeries[], length: number): Float64Array {
  const index = new Float64Array(length);
  for (const s of universe) {
    const offset = s.close.length - length;
    const base = s.close[offset];
    for (let i = 0; i < length; i++) index[i] += s.close[offset + i] / base / universe.length;
  }
  return index;
}

function stdev(xs: ArrayLike<number>, from: number, to: number): number {
  const n = to - from;
  let mean = 0;
  for (let i = from; i < to; i++) mean += xs[i] / n;
  let ss = 0;
  for (let i = from; i < to; i++) ss += (xs[i] - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

function regression(ys: Float64Array): { slope: number; rSquared: number } {
  const n = ys.length;
  const mx = (n - 1) / 2;
  let my = 0;
  for (const y of ys) my += y / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (ys[i] - my);
    sxx += (i - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, rSquared: syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}

const round = (x: number, d = 2) => Number(x.toFixed(d));

/** Measures the regime on the last bars the symbols share. Throws RegimeDataError when too short. */
export function measureRegime(universe: BarSeries[], opts: RegimeOptions = {}): MarketRegime {
  const trendBars = opts.trendBars ?? 126;
  const volBars = opts.volBars ?? 21;
  const threshold = opts.trendThresholdPct ?? 10;
  const minR2 = opts.minRSquared ?? 0.3;
  if (universe.length === 0) throw new RegimeDataError("the universe has no symbols");
  const length = Math.min(...universe.map((s) => s.close.length));
  if (length < volBars * 2 + 1 || length < 30)
    throw new RegimeDataError(`need at least ${Math.max(30, volBars * 2 + 1)} shared bars, have ${length}`);
  const index = equalWeightIndex(universe, length);
  const logs = index.map((x) => Math.log(x));
  const returns = new Float64Array(length - 1);
  for (let i = 1; i < length; i++) returns[i - 1] = logs[i] - logs[i - 1];

  const window = logs.subarray(Math.max(0, length - trendBars));
  const { slope, rSquared } = regression(window);
  const annualizedTrendPct = (Math.exp(slope * YEAR) - 1) * 100;
  const isTrend = Math.abs(annualizedTrendPct) >= threshold && rSquared >= minR2;
  const trend: TrendState = isTrend ? (annualizedTrendPct > 0 ? "TRENDING_UP" : "TRENDING_DOWN") : "RANGING";

  const rolling: number[] = [];
  for (let end = volBars; end <= returns.length; end++)
    rolling.push(stdev(returns, end - volBars, end) * Math.sqrt(YEAR) * 100);
  const recentVolPct = rolling[rolling.length - 1];
  const sorted = [...rolling].sort((a, b) => a - b);
  const medianVolPct =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const volatility: VolatilityState = recentVolPct > medianVolPct ? "HIGH_VOL" : "LOW_VOL";

  // Trend confidence: distance from the thresholds; volatility confidence: log distance from the median.
  const trendConf = isTrend
    ? Math.min(
        1,
        0.5 + 0.5 * Math.min((rSquared - minR2) / (1 - minR2), (Math.abs(annualizedTrendPct) - threshold) / threshold),
      )
    : Math.min(1, 0.5 + 0.5 * Math.max(1 - rSquared / minR2, 1 - Math.abs(annualizedTrendPct) / threshold));
  const volConf = Math.min(1, 0.5 + Math.abs(Math.log(recentVolPct / medianVolPct)));
  const last = universe[0].timestampsMs[universe[0].timestampsMs.length - 1];
  return {
    regime: `${trend}_${volatility}`,
    trend,
    volatility,
    confidence: round(Math.max(0, Math.min(1, (trendConf + volConf) / 2))),
    stats: {
      symbols: universe.length,
      trendBars: window.length,
      annualizedTrendPct: round(annualizedTrendPct),
      rSquared: round(rSquared, 3),
      recentVolPct: round(recentVolPct),
      medianVolPct: round(medianVolPct),
      asOfMs: last,
    },
  };
}

/** One line for prompts and the UI: "TRENDING_UP_HIGH_VOL (confidence 0.72): drift +18.2%/yr, R² 0.64, vol 24.1% vs median 19.8%". */
export function describeRegime(r: MarketRegime, universeSymbols?: number): string {
  const s = r.stats;
  const sign = s.annualizedTrendPct >= 0 ? "+" : "";
  // Measured on a sample: say so, with the universe's own count (the run uses all of them).
  const across =
    universeSymbols && universeSymbols > s.symbols
      ? `a sample of ${s.symbols} of the universe's ${universeSymbols} symbols`
      : `${s.symbols} symbols`;
  return `${r.regime} (confidence ${r.confidence}): drift ${sign}${s.annualizedTrendPct}%/yr over ${s.trendBars} bars, R² ${s.rSquared}, volatility ${s.recentVolPct}% vs median ${s.medianVolPct}% across ${across}`;
}
