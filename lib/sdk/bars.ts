/** Building the arrays a strategy's `signals()` reads from the shared bar and fundamentals types. */
import type { BarSeries, FundamentalSeries } from "../data/bars";
import type { StrategyBars } from "./types";

/** One symbol's input to a strategy run: the symbol and its aligned arrays. */
export interface StrategyInput {
  symbol: string;
  bars: StrategyBars;
}

/**
 * View a {@link BarSeries} (and optionally its {@link FundamentalSeries}) as {@link StrategyBars}.
 * Arrays are shared, not copied. Fundamentals must have the bars' length.
 */
export function toStrategyInput(series: BarSeries, fundamentals?: FundamentalSeries): StrategyInput {
  const bars: StrategyBars = {
    symbol: series.symbol,
    open: series.open,
    high: series.high,
    low: series.low,
    close: series.close,
    volume: series.volume,
    timestamps: series.timestampsMs,
  };
  if (fundamentals) {
    const n = series.close.length;
    for (const key of ["marketCap", "pe", "eps", "revenue", "pb", "debtToEquity"] as const) {
      if (fundamentals[key].length !== n)
        throw new RangeError(
          `${series.symbol}: fundamentals "${key}" has ${fundamentals[key].length} values but there are ${n} bars`,
        );
      bars[key] = fundamentals[key];
    }
    bars.sector = fundamentals.sector;
  }
  return { symbol: series.symbol, bars };
}
