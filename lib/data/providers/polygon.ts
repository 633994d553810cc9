/**
 * Polygon.io / Massive aggregates: `GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}`.
 * Body: `{ ticker, status: "OK" | "DELAYED" | "ERROR" | …, adjusted, resultsCount,
 * results?: [{ t (Unix ms, window start), o, h, l, c, v, vw?, n? }], next_url?, error?, message? }`.
 * Daily `t` is midnight America/New_York; pages continue at `next_url`.
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

const SPANS: Record<BarInterval, [number, string]> = {
  "1m": [1, "minute"],
  "5m": [5, "minute"],
  "15m": [15, "minute"],
  "30m": [30, "minute"],
  "1h": [1, "hour"],
  "1d": [1, "day"],
  "1wk": [1, "week"],
  "1mo": [1, "month"],
};

/** Path and query of an aggregates request (dates as Unix ms, raw prices). */
export function polygonAggsPath(symbol: string, fromMs: number, toMs: number, interval: BarInterval): string {
  const [mult, span] = SPANS[interval];
  return `/v2/aggs/ticker/${encodeURIComponent(symbol)}/range/${mult}/${span}/${fromMs}/${toMs}?adjusted=false&sort=asc&limit=50000`;
}

/** One page: its raw rows and the next page URL, if any. */
export function parsePolygonAggsPage(
  symbol: string,
  body: unknown,
  interval: BarInterval,
): { rows: RawBar[]; nextUrl: string | null } {
  if (!isRecord(body)) throw new ProviderResponseError("polygon", symbol, "response is not a JSON object");
  const status = String(body.status ?? "");
  if (status !== "OK" && status !== "DELAYED") {
    throw new ProviderResponseError(
      "polygon",
      symbol,
      `status ${status || "missing"}: ${String(body.error ?? body.message ?? "no message")}`,
    );
  }
  const results = Array.isArray(body.results) ? body.results : [];
  const daily = isDailyOrLonger(interval);
  const rows: RawBar[] = results.filter(isRecord).map((r) => {
    const t = Number(r.t);
    return {
      timestampMs: daily ? tradingDayUtc(t, "America/New_York") : t,
      open: num(r.o),
      high: num(r.h),
      low: num(r.l),
      close: num(r.c),
      volume: num(r.v),
    };
  });
  return { rows, nextUrl: typeof body.next_url === "string" && body.next_url !== "" ? body.next_url : null };
}

function num(v: unknown): number | null {
  return typeof v === "number" ? v : null;
}

/** Parse all pages of one request into a validated series. */
export function parsePolygonAggs(
  symbol: string,
  pages: unknown[],
  interval: BarInterval,
): { series: BarSeries; dropped: number } {
  return seriesFromRawBars(
    symbol,
    pages.flatMap((p) => parsePolygonAggsPage(symbol, p, interval).rows),
  );
}

/**
 * Polygon.io / Massive reference tickers: `GET /v3/reference/tickers?market=stocks&active=true&limit=1000`.
 * Body: `{ results?: [{ ticker, name, market, locale, primary_exchange?, type?, active, currency_name?, … }],
 * status: "OK", count?, next_url?, request_id }`; pages continue at `next_url`.
 */
export function polygonTickersPath(market: "stocks" | "crypto" | "fx" | "otc" | "indices" = "stocks"): string {
  return `/v3/reference/tickers?market=${market}&active=true&order=asc&sort=ticker&limit=1000`;
}

/** One page of tickers (active ones only) and the next page URL, if any. */
export function parsePolygonTickersPage(body: unknown): { tickers: string[]; nextUrl: string | null } {
  if (!isRecord(body)) throw new ProviderResponseError("polygon", "tickers", "response is not a JSON object");
  const status = String(body.status ?? "");
  if (status !== "OK" && status !== "DELAYED")
    throw new ProviderResponseError(
      "polygon",
      "tickers",
      `status ${status || "missing"}: ${String(body.error ?? body.message ?? "no message")}`,
    );
  const results = Array.isArray(body.results) ? body.results : [];
  const tickers = results
    .filter(isRecord)
    .filter((r) => r.active !== false && typeof r.ticker === "string" && r.ticker !== "")
    .map((r) => String(r.ticker));
  return { tickers, nextUrl: typeof body.next_url === "string" && body.next_url !== "" ? body.next_url : null };
}
