/**
 * Crypto exchanges through ccxt. ccxt is not a dependency: callers inject an object shaped like
 * a ccxt exchange (`{ fetchOHLCV(symbol, timeframe, since, limit) }`) whose result is
 * `[timestampMs, open, high, low, close, volume][]`, ascending. {@link fetchCcxtBars} pages
 * forward from `since` until `to` or an empty page. Crypto trades around the clock, so daily
 * bars keep the exchange's UTC day start.
 */
import type { BarSeries } from "../bars";
import { isDailyOrLonger, ProviderResponseError, seriesFromRawBars, type BarInterval, type RawBar } from "./common";

/** The part of a ccxt exchange we use. */
export interface CcxtLikeExchange {
  id?: string;
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<unknown[]>;
}

const TIMEFRAMES: Record<BarInterval, string> = {
  "1m": "1m",
  "5m": "5m",
  "15m": "15m",
  "30m": "30m",
  "1h": "1h",
  "1d": "1d",
  "1wk": "1w",
  "1mo": "1M",
};

/** ccxt timeframe string of an interval. */
export function ccxtTimeframe(interval: BarInterval): string {
  return TIMEFRAMES[interval];
}

/** Rows of one `fetchOHLCV` result; throws on a malformed row. */
export function parseCcxtOhlcv(symbol: string, rows: unknown[], interval: BarInterval): RawBar[] {
  const daily = isDailyOrLonger(interval);
  return rows.map((row, i) => {
    if (!Array.isArray(row) || row.length < 5 || typeof row[0] !== "number") {
      throw new ProviderResponseError("ccxt", symbol, `row ${i} is not [timestamp, open, high, low, close, volume]`);
    }
    const n = (v: unknown) => (typeof v === "number" ? v : null);
    const t = daily ? Math.floor(row[0] / 86_400_000) * 86_400_000 : row[0];
    return { timestampMs: t, open: n(row[1]), high: n(row[2]), low: n(row[3]), close: n(row[4]), volume: n(row[5]) };
  });
}

/**
 * Fetch [fromMs, toMs] through an injected exchange, `pageSize` bars per call, and return a
 * validated series. Stops at an empty page, a page that does not advance, or `maxPages`.
 */
export async function fetchCcxtBars(
  exchange: CcxtLikeExchange,
  symbol: string,
  opts: { fromMs: number; toMs: number; interval: BarInterval; pageSize?: number; maxPages?: number },
): Promise<{ series: BarSeries; dropped: number }> {
  const limit = opts.pageSize ?? 500;
  const rows: RawBar[] = [];
  let since = opts.fromMs;
  for (let page = 0; page < (opts.maxPages ?? 1000); page++) {
    const raw = await exchange.fetchOHLCV(symbol, ccxtTimeframe(opts.interval), since, limit);
    if (!Array.isArray(raw)) throw new ProviderResponseError("ccxt", symbol, "fetchOHLCV did not return an array");
    const parsed = parseCcxtOhlcv(symbol, raw, opts.interval);
    const lastRaw = raw.length > 0 ? (raw[raw.length - 1] as number[])[0] : Number.NaN;
    rows.push(...parsed.filter((_, i) => (raw[i] as number[])[0] <= opts.toMs));
    if (raw.length === 0 || !(lastRaw >= since) || lastRaw >= opts.toMs || raw.length < limit) break;
    since = lastRaw + 1;
  }
  return seriesFromRawBars(symbol, rows);
}
