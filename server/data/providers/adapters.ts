import "server-only";
/**
 * HTTP adapters: Yahoo Finance chart, Polygon/Massive aggregates, Alpaca bars and Alpha Vantage daily. Each wraps
 * the pure parsers of lib/data/providers with {@link getJson} (cache, then the provider's
 * cockatiel policy: rate limit, retries, breaker; the outbound address check runs in every attempt). Credentials travel in headers only, so cache keys and logs never hold them.
 */
import type { BarSeries, FundamentalSeries } from "@/lib/data/bars";
import {
  alphaVantageDailyPath,
  alphaVantageEarningsPath,
  alphaVantageFundamentals,
  alphaVantageFxDailyPath,
  alphaVantageOverviewPath,
  FX_PAIR,
  parseAlphaVantageEarnings,
  parseAlphaVantageFxDaily,
  parseAlphaVantageOverview,
  alpacaBarsPath,
  parseAlphaVantageDaily,
  parseAlpacaBarsPage,
  parsePolygonAggsPage,
  parsePolygonTickersPage,
  parseYahooChart,
  polygonAggsPath,
  polygonTickersPath,
  ProviderResponseError,
  seriesFromRawBars,
  yahooChartPath,
  type RawBar,
} from "@/lib/data/providers";
import { env } from "@/lib/env";
import { guardedFetch, parseAllowList } from "@/server/http/outbound";
import { getJson, type FetchLike } from "./http";
import { Resilience, systemClock } from "./resilience";
import type { FetchBarsRequest, MarketDataProvider, ProviderDeps } from "./types";

/** Pages followed at most per request (a runaway `next` link must not loop forever). */
const MAX_PAGES = 200;

/**
 * Default transport: the outbound address rules, so a `next` link in a provider's answer (or a
 * redirect) cannot reach an internal address; the operator-configured base URL's host is trusted.
 */
function setup(name: string, deps: ProviderDeps, baseUrl: string): { res: Resilience; fetchImpl: FetchLike } {
  const trusted = `${env().LAB_OUTBOUND_ALLOW},${new URL(baseUrl).hostname.replace(/^\[(.*)\]$/, "$1")}`;
  const fetchImpl: FetchLike =
    deps.fetch ?? ((url, init) => guardedFetch(url, init, { allow: parseAllowList(trusted) }));
  return { res: new Resilience(name, deps.clock ?? systemClock, deps.resilience, deps.rateGate ?? null), fetchImpl };
}

/** Yahoo Finance chart API (no key; unofficial, so only on when LAB_YAHOO_ENABLED). */
export function createYahooProvider(opts: { baseUrl?: string } & ProviderDeps = {}): MarketDataProvider {
  const base = opts.baseUrl ?? "https://query1.finance.yahoo.com";
  const { res, fetchImpl } = setup("yahoo", opts, base);
  return {
    name: "yahoo",
    resilience: res,
    async fetchBars(symbol: string, req: FetchBarsRequest): Promise<BarSeries> {
      const body = await getJson(res, fetchImpl, base + yahooChartPath(symbol, req.fromMs, req.toMs, req.interval), {
        symbol,
        headers: { "user-agent": "Mozilla/5.0 (StrategyLab)" },
      });
      return parseYahooChart(symbol, body, req.interval).series;
    },
  };
}

/** Polygon.io / Massive aggregates (API key as a Bearer token), following `next_url`. */
export function createPolygonProvider(opts: { apiKey: string; baseUrl?: string } & ProviderDeps): MarketDataProvider {
  const base = opts.baseUrl ?? "https://api.polygon.io";
  const { res, fetchImpl } = setup("polygon", opts, base);
  const headers = { authorization: `Bearer ${opts.apiKey}` };
  return {
    name: "polygon",
    resilience: res,
    async fetchBars(symbol: string, req: FetchBarsRequest): Promise<BarSeries> {
      const rows: RawBar[] = [];
      let url: string | null = base + polygonAggsPath(symbol, req.fromMs, req.toMs, req.interval);
      for (let page = 0; url !== null; page++) {
        if (page >= MAX_PAGES) throw new ProviderResponseError("polygon", symbol, `more than ${MAX_PAGES} pages`);
        const parsed = parsePolygonAggsPage(
          symbol,
          await getJson(res, fetchImpl, url, { symbol, headers }),
          req.interval,
        );
        rows.push(...parsed.rows);
        url = parsed.nextUrl;
      }
      return seriesFromRawBars(symbol, rows).series;
    },
    async listSymbols(o: { limit?: number } = {}): Promise<string[]> {
      const limit = o.limit ?? 50_000;
      const out: string[] = [];
      let url: string | null = base + polygonTickersPath("stocks");
      for (let page = 0; url !== null && out.length < limit; page++) {
        if (page >= MAX_PAGES) throw new ProviderResponseError("polygon", "tickers", `more than ${MAX_PAGES} pages`);
        const parsed = parsePolygonTickersPage(await getJson(res, fetchImpl, url, { symbol: "tickers", headers }));
        out.push(...parsed.tickers);
        url = parsed.nextUrl;
      }
      return out.slice(0, limit);
    },
  };
}

/** Alpaca market data v2 bars (key id + secret headers), following `next_page_token`. */
export function createAlpacaProvider(
  opts: { keyId: string; secretKey: string; feed?: string; baseUrl?: string } & ProviderDeps,
): MarketDataProvider {
  const base = opts.baseUrl ?? "https://data.alpaca.markets";
  const { res, fetchImpl } = setup("alpaca", opts, base);
  const headers = { "APCA-API-KEY-ID": opts.keyId, "APCA-API-SECRET-KEY": opts.secretKey };
  return {
    name: "alpaca",
    resilience: res,
    async fetchBars(symbol: string, req: FetchBarsRequest): Promise<BarSeries> {
      const rows: RawBar[] = [];
      let token: string | undefined;
      for (let page = 0; ; page++) {
        if (page >= MAX_PAGES) throw new ProviderResponseError("alpaca", symbol, `more than ${MAX_PAGES} pages`);
        const path =
          alpacaBarsPath(symbol, req.fromMs, req.toMs, req.interval, token) +
          (opts.feed ? `&feed=${encodeURIComponent(opts.feed)}` : "");
        const parsed = parseAlpacaBarsPage(
          symbol,
          await getJson(res, fetchImpl, base + path, { symbol, headers }),
          req.interval,
        );
        rows.push(...parsed.rows);
        if (parsed.nextPageToken === null) break;
        token = parsed.nextPageToken;
      }
      return seriesFromRawBars(symbol, rows).series;
    },
  };
}

/**
 * Alpha Vantage: daily prices (TIME_SERIES_DAILY, full history, trimmed to the range) and
 * fundamentals (OVERVIEW + EARNINGS, see lib/data/providers/alphavantage-fundamentals.ts), and
 * as `alphavantage-fx` daily currency rates (FX_DAILY). Its key can only travel in the query
 * string: it is appended by the transport, so cache keys and logged URLs never hold it. Both
 * providers share one transport, because the free tier's limit (5 requests a minute, 25 a day)
 * is the key's: on top of the per-provider limit, a bucket of its own spaces attempts 12 s
 * apart, and a "limit reached" answer fails the symbol at once (not retried). A symbol with
 * fundamentals costs three requests (bars, OVERVIEW, EARNINGS).
 */
export function createAlphaVantageProviders(opts: { apiKey: string; baseUrl?: string } & ProviderDeps): {
  stocks: MarketDataProvider;
  fx: MarketDataProvider;
} {
  const base = opts.baseUrl ?? "https://www.alphavantage.co";
  const { res, fetchImpl } = setup(
    "alphavantage",
    { ...opts, resilience: { bucketCapacity: 1, refillPerSecond: 5 / 60, ...opts.resilience } },
    base,
  );
  const keyed: FetchLike = (url, init) => fetchImpl(`${url}&apikey=${encodeURIComponent(opts.apiKey)}`, init);
  const stocks: MarketDataProvider = {
    name: "alphavantage",
    resilience: res,
    async fetchBars(symbol: string, req: FetchBarsRequest): Promise<BarSeries> {
      daily("alphavantage", symbol, req.interval);
      const body = await getJson(res, keyed, base + alphaVantageDailyPath(symbol), { symbol });
      return seriesFromRawBars(symbol, parseAlphaVantageDaily(symbol, body, req.fromMs, req.toMs)).series;
    },
    async fetchFundamentals(symbol: string, bars: BarSeries): Promise<FundamentalSeries> {
      const overview = parseAlphaVantageOverview(
        symbol,
        await getJson(res, keyed, base + alphaVantageOverviewPath(symbol), { symbol }),
      );
      const quarters = parseAlphaVantageEarnings(
        symbol,
        await getJson(res, keyed, base + alphaVantageEarningsPath(symbol), { symbol }),
      );
      return alphaVantageFundamentals(bars, overview, quarters);
    },
  };
  const fx: MarketDataProvider = {
    name: "alphavantage-fx",
    resilience: res,
    async fetchBars(symbol: string, req: FetchBarsRequest): Promise<BarSeries> {
      daily("alphavantage-fx", symbol, req.interval);
      if (!FX_PAIR.test(symbol))
        throw new ProviderResponseError(
          "alphavantage-fx",
          symbol,
          "a currency pair is six letters, base then quote (EURUSD)",
        );
      const body = await getJson(res, keyed, base + alphaVantageFxDailyPath(symbol), { symbol });
      return seriesFromRawBars(symbol, parseAlphaVantageFxDaily(symbol, body, req.fromMs, req.toMs)).series;
    },
  };
  return { stocks, fx };
}

function daily(name: string, symbol: string, interval: string): void {
  if (interval !== "1d")
    throw new ProviderResponseError(name, symbol, `serves daily bars only (asked for ${interval})`);
}

/** The Alpha Vantage stock provider alone (see {@link createAlphaVantageProviders}). */
export function createAlphaVantageProvider(
  opts: { apiKey: string; baseUrl?: string } & ProviderDeps,
): MarketDataProvider {
  return createAlphaVantageProviders(opts).stocks;
}
