/**
 * Yahoo Finance chart API (v8): `GET /v8/finance/chart/{symbol}?period1=&period2=&interval=`.
 * Body: `{ chart: { result: [{ meta: { symbol, gmtoffset, exchangeTimezoneName, … },
 * timestamp: number[] (Unix s), indicators: { quote: [{ open, high, low, close, volume }],
 * adjclose?: [{ adjclose }] } }], error: null | { code, description } } }`.
 * Arrays are index-aligned and may hold nulls (no trade); such bars are dropped.
 */
import type { BarSeries } from "../bars";
import {
  isDailyOrLonger,
  isRecord,
  ProviderResponseError,
  seriesFromRawBars,
  tradingDayUtc,
  type BarInterval,
  type RawBar,
} from "./common";

/** Yahoo's interval names. */
export const YAHOO_INTERVALS: Record<BarInterval, string> = {
  "1m": "1m",
  "5m": "5m",
  "15m": "15m",
  "30m": "30m",
  "1h": "60m",
  "1d": "1d",
  "1wk": "1wk",
  "1mo": "1mo",
};

/** Path and query of a chart request (host chosen by the caller). */
export function yahooChartPath(symbol: string, fromMs: number, toMs: number, interval: BarInterval): string {
  const q = new URLSearchParams({
    period1: String(Math.floor(fromMs / 1000)),
    period2: String(Math.floor(toMs / 1000)),
    interval: YAHOO_INTERVALS[interval],
    events: "div,split",
  });
  return `/v8/finance/chart/${encodeURIComponent(symbol)}?${q.toString()}`;
}

function numbers(v: unknown): (number | null)[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === "number" ? x : null)) : [];
}

/** Parse a chart response into a validated series (raw, unadjusted OHLC). */
export function parseYahooChart(
  symbol: string,
  body: unknown,
  interval: BarInterval,
): { series: BarSeries; dropped: number } {
  const chart = isRecord(body) && isRecord(body.chart) ? body.chart : null;
  if (!chart) throw new ProviderResponseError("yahoo", symbol, "response has no chart object");
  if (isRecord(chart.error))
    throw new ProviderResponseError("yahoo", symbol, `${String(chart.error.code)}: ${String(chart.error.description)}`);
  const result = Array.isArray(chart.result) ? chart.result[0] : undefined;
  if (!isRecord(result)) throw new ProviderResponseError("yahoo", symbol, "chart.result is empty");
  const meta = isRecord(result.meta) ? result.meta : {};
  const zone = typeof meta.exchangeTimezoneName === "string" ? meta.exchangeTimezoneName : "America/New_York";
  // Yahoo leaves `timestamp` out for a range without bars; present, it must be an array.
  if (result.timestamp !== undefined && !Array.isArray(result.timestamp))
    throw new ProviderResponseError("yahoo", symbol, "timestamp is not an array");
  const ts = numbers(result.timestamp);
  const indicators = isRecord(result.indicators) ? result.indicators : {};
  const quote = Array.isArray(indicators.quote) && isRecord(indicators.quote[0]) ? indicators.quote[0] : null;
  if (ts.length > 0 && !quote) throw new ProviderResponseError("yahoo", symbol, "indicators.quote is missing");
  const [o, h, l, c, v] = ["open", "high", "low", "close", "volume"].map((k) => numbers(quote?.[k]));
  for (const [k, col] of [
    ["open", o],
    ["high", h],
    ["low", l],
    ["close", c],
  ] as const) {
    if (col.length !== ts.length)
      throw new ProviderResponseError(
        "yahoo",
        symbol,
        `indicators.quote.${k} has ${col.length} values for ${ts.length} timestamps`,
      );
  }
  const daily = isDailyOrLonger(interval);
  const rows: RawBar[] = [];
  ts.forEach((s, i) => {
    if (s === null) return;
    const ms = s * 1000;
    rows.push({
      timestampMs: daily ? tradingDayUtc(ms, zone) : ms,
      open: o[i],
      high: h[i],
      low: l[i],
      close: c[i],
      volume: v[i],
    });
  });
  return seriesFromRawBars(symbol, rows);
}
