/**
 * Column-oriented price history of one symbol: every array has the same length and index `i`
 * is the same bar everywhere. Timestamps are UTC milliseconds of the bar's start, ascending,
 * without duplicates. Prices are positive and finite; `low <= min(open, close)` and
 * `high >= max(open, close)`; volume is finite and >= 0.
 */
export interface BarSeries {
  symbol: string;
  timestampsMs: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/**
 * Slowly changing company data aligned bar by bar with a {@link BarSeries} (same length).
 * NaN where unknown. Ratios are plain numbers (P/E 15 is 15); money is in the quote currency.
 */
export interface FundamentalSeries {
  sector: string;
  marketCap: Float64Array;
  pe: Float64Array;
  eps: Float64Array;
  revenue: Float64Array;
  pb: Float64Array;
  debtToEquity: Float64Array;
}

/** Number of bars in a series. */
export function barCount(series: BarSeries): number {
  return series.close.length;
}
