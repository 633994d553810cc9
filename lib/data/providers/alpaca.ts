/**
 * Alpaca market data v2 bars: `GET /v2/stocks/{symbol}/bars?timeframe=&start=&end=&limit=&page_token=`.
 * Body: `{ bars: [{ t (RFC-3339), o, h, l, c, v, n?, vw? }] | null, symbol, next_page_token: string | null }`;
 * errors come as `{ code?, message }`. Daily bars are stamped at midnight America/New_York.
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

const TIMEFRAMES: Record<BarInterval, string> = {
  "1m": "1Min",
  "5m": "5Min",
  "15m": "15Min",
  "30m": "30Min",
  "1h": "1Hour",
  "1d": "1Day",
  "1wk": "1Week",
  "1mo": "1Month",
};

/** Path and query of a bars request; `pageToken` continues a previous page. */
export function alpacaBarsPath(
  symbol: string,
  fromMs: number,
  toMs: number,
  interval: BarInterval,
  pageToken?: string,
): string {
  const q = new URLSearchParams({
    timeframe: TIMEFRAMES[interval],
    start: new Date(fromMs).toISOString(),
    end: new Date(toMs).toISOString(),
    limit: "10000",
    adjustment: "raw",
  });
  if (pageToken) q.set("page_token", pageToken);
  return `/v2/stocks/${encodeURIComponent(symbol)}/bars?${q.toString()}`;
}

/** One page: its raw rows and the token of the next page, if any. */
export function parseAlpacaBarsPage(
  symbol: string,
  body: unknown,
  interval: BarInterval,
): { rows: RawBar[]; nextPageToken: string | null } {
  if (!isRecord(body)) throw new ProviderResponseError("alpaca", symbol, "response is not a JSON object");
  if (!("bars" in body) && typeof body.message === "string")
    throw new ProviderResponseError("alpaca", symbol, body.message);
  if (body.bars !== null && !Array.isArray(body.bars))
    throw new ProviderResponseError("alpaca", symbol, "response has no bars array");
  const daily = isDailyOrLonger(interval);
  const rows: RawBar[] = (Array.isArray(body.bars) ? body.bars : []).filter(isRecord).map((b) => {
    const t = Date.parse(String(b.t));
    if (Number.isNaN(t)) throw new ProviderResponseError("alpaca", symbol, `bad bar time "${String(b.t)}"`);
    return {
      timestampMs: daily ? tradingDayUtc(t, "America/New_York") : t,
      open: num(b.o),
      high: num(b.h),
      low: num(b.l),
      close: num(b.c),
      volume: num(b.v),
    };
  });
  const token = body.next_page_token;
  return { rows, nextPageToken: typeof token === "string" && token !== "" ? token : null };
}

function num(v: unknown): number | null {
  return typeof v === "number" ? v : null;
}

/** Parse all pages into a validated series. */
export function parseAlpacaBars(
  symbol: string,
  pages: unknown[],
  interval: BarInterval,
): { series: BarSeries; dropped: number } {
  return seriesFromRawBars(
    symbol,
    pages.flatMap((p) => parseAlpacaBarsPage(symbol, p, interval).rows),
  );
}
