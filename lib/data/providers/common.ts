/**
 * Shared pieces of the provider response parsers: a typed error, the interval vocabulary and
 * the conversion of raw rows into a validated {@link BarSeries}.
 * Daily bars from every provider are re-stamped to 00:00 UTC of the exchange-local trading
 * day (the same convention as CSV import and the demo universe); intraday bars keep their
 * UTC start time.
 */
import type { BarSeries } from "../bars";
import { timeZoneOffsetMs } from "../timestamps";
import { validateBars } from "../validate";

/** Bar sizes every provider adapter understands. */
export type BarInterval = "1m" | "5m" | "15m" | "30m" | "1h" | "1d" | "1wk" | "1mo";
export const BAR_INTERVALS: readonly BarInterval[] = ["1m", "5m", "15m", "30m", "1h", "1d", "1wk", "1mo"];

/** Whether bars of this interval are stamped by trading day rather than by instant. */
export function isDailyOrLonger(interval: BarInterval): boolean {
  return interval === "1d" || interval === "1wk" || interval === "1mo";
}

/** A provider answered with an error body or a shape we do not understand. */
export class ProviderResponseError extends Error {
  readonly provider: string;
  readonly symbol: string;
  constructor(provider: string, symbol: string, message: string) {
    super(`${provider} ${symbol}: ${message}`);
    this.name = "ProviderResponseError";
    this.provider = provider;
    this.symbol = symbol;
  }
}

/** One raw bar as a provider gives it (any field may be null/undefined for a missing value). */
export interface RawBar {
  timestampMs: number;
  open: number | null | undefined;
  high: number | null | undefined;
  low: number | null | undefined;
  close: number | null | undefined;
  volume: number | null | undefined;
}

/** 00:00 UTC of the calendar day that the instant `ms` falls on in `timeZone`. */
export function tradingDayUtc(ms: number, timeZone: string): number {
  const local = ms + timeZoneOffsetMs(timeZone, ms);
  return Math.floor(local / 86_400_000) * 86_400_000;
}

/**
 * Build a validated series from raw rows: rows with any missing price are dropped (counted in
 * `dropped`), missing volume becomes 0, rows are sorted and exact duplicates of a timestamp
 * keep the last row. Throws InvalidBarsError if what remains breaks the bar invariants.
 */
export function seriesFromRawBars(symbol: string, rows: RawBar[]): { series: BarSeries; dropped: number } {
  const clean = rows.filter((r) =>
    [r.open, r.high, r.low, r.close].every((v) => typeof v === "number" && Number.isFinite(v)),
  );
  clean.sort((a, b) => a.timestampMs - b.timestampMs);
  const dedup: RawBar[] = [];
  for (const r of clean) {
    if (dedup.length > 0 && dedup[dedup.length - 1].timestampMs === r.timestampMs) dedup[dedup.length - 1] = r;
    else dedup.push(r);
  }
  const pick = (f: (r: RawBar) => number) => Float64Array.from(dedup, f);
  const series: BarSeries = {
    symbol,
    timestampsMs: pick((r) => r.timestampMs),
    open: pick((r) => r.open as number),
    high: pick((r) => r.high as number),
    low: pick((r) => r.low as number),
    close: pick((r) => r.close as number),
    volume: pick((r) => (typeof r.volume === "number" && Number.isFinite(r.volume) ? r.volume : 0)),
  };
  validateBars(series);
  return { series, dropped: rows.length - clean.length };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
