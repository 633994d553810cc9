import "server-only";
/**
 * Market data providers, each off unless configured (lib/env.ts): Yahoo with
 * LAB_YAHOO_ENABLED, Polygon/Massive with POLYGON_API_KEY, Alpaca with ALPACA_KEY_ID +
 * ALPACA_SECRET_KEY, Alpha Vantage (stocks, fundamentals, and `alphavantage-fx` currency pairs)
 * with ALPHAVANTAGE_API_KEY, ccxt exchanges with LAB_CCXT_EXCHANGE (or exchange objects passed
 * in), and the FRED macro series source ({@link configuredMacroProvider}) with FRED_API_KEY.
 */
import type { CcxtLikeExchange } from "@/lib/data/providers";
import type { Env } from "@/lib/env";
import {
  createAlpacaProvider,
  createAlphaVantageProviders,
  createPolygonProvider,
  createYahooProvider,
} from "./adapters";
import { ccxtExchange, ccxtExchangeIds, createCcxtProvider } from "./ccxt";
import { createFredProvider, type MacroProvider } from "./fred";
import type { MarketDataProvider, ProviderDeps } from "./types";

export {
  createAlpacaProvider,
  createAlphaVantageProvider,
  createAlphaVantageProviders,
  createPolygonProvider,
  createYahooProvider,
} from "./adapters";
export { ccxtExchange, ccxtExchangeIds, createCcxtProvider, isTransientCcxtError, type CcxtHttp } from "./ccxt";
export { createFredProvider, type MacroProvider } from "./fred";
export { ProviderHttpError, type FetchLike } from "./http";
export {
  DEFAULT_RESILIENCE,
  ProviderUnavailableError,
  Resilience,
  TokenBucket,
  TransientProviderError,
  parseRetryAfter,
  type BreakerState,
  type ResilienceClock,
  type ResilienceOptions,
} from "./resilience";
export type { FetchBarsRequest, MarketDataProvider, ProviderDeps } from "./types";
export { postgresRateGate, type RateGate } from "./shared-rate";
export { ProviderResponseError } from "@/lib/data/providers";

type ProviderEnv = Pick<
  Env,
  | "LAB_YAHOO_ENABLED"
  | "POLYGON_API_KEY"
  | "POLYGON_BASE_URL"
  | "ALPACA_KEY_ID"
  | "ALPACA_SECRET_KEY"
  | "ALPACA_DATA_FEED"
  | "LAB_PROVIDER_CACHE_SECONDS"
> &
  Partial<Pick<Env, "LAB_PROVIDER_CACHE_ENTRIES" | "ALPHAVANTAGE_API_KEY" | "LAB_CCXT_EXCHANGE" | "FRED_API_KEY">>;

/** The providers `config` turns on, in a fixed order (yahoo, polygon, alpaca, alphavantage, alphavantage-fx, then exchanges). */
export function configuredProviders(
  config: ProviderEnv,
  deps: ProviderDeps & { exchanges?: CcxtLikeExchange[] } = {},
): MarketDataProvider[] {
  const d: ProviderDeps = {
    ...deps,
    resilience: {
      cacheTtlMs: config.LAB_PROVIDER_CACHE_SECONDS * 1000,
      ...(config.LAB_PROVIDER_CACHE_ENTRIES !== undefined
        ? { cacheMaxEntries: config.LAB_PROVIDER_CACHE_ENTRIES }
        : {}),
      ...deps.resilience,
    },
  };
  const out: MarketDataProvider[] = [];
  if (config.LAB_YAHOO_ENABLED) out.push(createYahooProvider(d));
  if (config.POLYGON_API_KEY)
    out.push(createPolygonProvider({ ...d, apiKey: config.POLYGON_API_KEY, baseUrl: config.POLYGON_BASE_URL }));
  if (config.ALPACA_KEY_ID && config.ALPACA_SECRET_KEY)
    out.push(
      createAlpacaProvider({
        ...d,
        keyId: config.ALPACA_KEY_ID,
        secretKey: config.ALPACA_SECRET_KEY,
        feed: config.ALPACA_DATA_FEED,
      }),
    );
  if (config.ALPHAVANTAGE_API_KEY) {
    const av = createAlphaVantageProviders({ ...d, apiKey: config.ALPHAVANTAGE_API_KEY });
    out.push(av.stocks, av.fx);
  }
  const exchanges = [
    ...ccxtExchangeIds(config.LAB_CCXT_EXCHANGE).map((id) => ccxtExchange(id)),
    ...(deps.exchanges ?? []),
  ];
  for (const ex of exchanges) out.push(createCcxtProvider(ex, d));
  return out;
}

/** The FRED macro series source, when FRED_API_KEY is set; else null. */
export function configuredMacroProvider(
  config: Partial<Pick<Env, "FRED_API_KEY" | "LAB_PROVIDER_CACHE_SECONDS">>,
  deps: ProviderDeps = {},
): MacroProvider | null {
  if (!config.FRED_API_KEY) return null;
  return createFredProvider({
    ...deps,
    apiKey: config.FRED_API_KEY,
    resilience: { cacheTtlMs: (config.LAB_PROVIDER_CACHE_SECONDS ?? 300) * 1000, ...deps.resilience },
  });
}
