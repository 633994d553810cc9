import "server-only";
/**
 * Crypto bars through ccxt: the exchanges named in LAB_CCXT_EXCHANGE (e.g. "binance") are
 * constructed from the `ccxt` package on first use ({@link ccxtExchange}; the package is large,
 * so it is loaded only when an exchange is configured), or an exchange object is passed in.
 * Each `fetchOHLCV` page goes through the provider's {@link Resilience}; ccxt's network-class
 * errors (timeouts, 429 / DDoSProtection, maintenance) are retried. Crypto trades every day of
 * the week, so daily bars keep the exchange's UTC days (weekends included).
 */
import type { BarSeries } from "@/lib/data/bars";
import { fetchCcxtBars, ProviderResponseError, type CcxtLikeExchange } from "@/lib/data/providers";
import { Resilience, systemClock, TransientProviderError } from "./resilience";
import type { FetchBarsRequest, MarketDataProvider, ProviderDeps } from "./types";

/** ccxt error class names that mean "try again later" (its NetworkError family). */
const TRANSIENT = new Set([
  "NetworkError",
  "RequestTimeout",
  "ExchangeNotAvailable",
  "OnMaintenance",
  "DDoSProtection",
  "RateLimitExceeded",
  "InvalidNonce",
]);

/** Whether an error thrown by a ccxt exchange is worth retrying (by class name along its prototype chain). */
export function isTransientCcxtError(err: unknown): boolean {
  for (let p: unknown = err; p && typeof p === "object"; p = Object.getPrototypeOf(p)) {
    const name = (p as { constructor?: { name?: string } }).constructor?.name;
    if (name && TRANSIENT.has(name)) return true;
  }
  return err instanceof Error && TRANSIENT.has(err.name);
}

/** A provider over `exchange`; its name is `ccxt:<exchange id>`. */
export function createCcxtProvider(
  exchange: CcxtLikeExchange,
  deps: Omit<ProviderDeps, "fetch"> & { pageSize?: number } = {},
): MarketDataProvider {
  const name = `ccxt:${exchange.id ?? "exchange"}`;
  const res = new Resilience(name, deps.clock ?? systemClock, deps.resilience, deps.rateGate ?? null);
  const resilient: CcxtLikeExchange = {
    id: exchange.id,
    fetchOHLCV: (symbol, timeframe, since, limit) =>
      res.call(`${symbol}|${timeframe}|${since}|${limit}`, async () => {
        try {
          return await exchange.fetchOHLCV(symbol, timeframe, since, limit);
        } catch (err) {
          if (isTransientCcxtError(err))
            throw new TransientProviderError(err instanceof Error ? err.message : String(err), null, err);
          throw err;
        }
      }),
  };
  return {
    name,
    resilience: res,
    async fetchBars(symbol: string, req: FetchBarsRequest): Promise<BarSeries> {
      return (await fetchCcxtBars(resilient, symbol, { ...req, pageSize: deps.pageSize })).series;
    },
  };
}

/**
 * The HTTP call a ccxt exchange makes (its `fetchImplementation`): `(url, { method, headers,
 * body, signal })` answering a `Response`. Tests pass recorded answers here, so ccxt's own
 * status handling and parsing run unchanged.
 */
export type CcxtHttp = (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<Response>;

type CcxtModule = { exchanges: string[] } & Record<string, unknown>;

/**
 * The ccxt exchange `id` (e.g. "binance"), created on its first call. An id ccxt does not know
 * fails that call with a message naming LAB_CCXT_EXCHANGE.
 */
export function ccxtExchange(id: string, opts: { http?: CcxtHttp; timeoutMs?: number } = {}): CcxtLikeExchange {
  let ready: Promise<CcxtLikeExchange> | null = null;
  const load = async (): Promise<CcxtLikeExchange> => {
    const mod = (await import("ccxt")) as unknown as { default?: CcxtModule } & CcxtModule;
    const ccxt = mod.default ?? mod;
    const Ctor = ccxt.exchanges.includes(id) ? ccxt[id] : undefined;
    if (typeof Ctor !== "function")
      throw new ProviderResponseError(
        `ccxt:${id}`,
        "exchange",
        `ccxt has no exchange "${id}" (LAB_CCXT_EXCHANGE takes ccxt exchange ids such as binance, kraken, coinbase)`,
      );
    const ex = new (Ctor as new (config: Record<string, unknown>) => CcxtLikeExchange & Record<string, unknown>)({
      enableRateLimit: true,
      timeout: opts.timeoutMs ?? 15_000,
    });
    // Every exchange answer we ask for is JSON; ccxt would hand other text on as an empty result,
    // so a 2xx body that is not JSON fails here with the body's start.
    const http: CcxtHttp = opts.http ?? ((url, init) => fetch(url, init));
    ex.fetchImplementation = async (url: string, init: Parameters<CcxtHttp>[1]) => {
      const response = await http(url, init);
      if (!response.ok) return response;
      const text = await response.text();
      try {
        JSON.parse(text);
      } catch {
        throw new ProviderResponseError(
          `ccxt:${id}`,
          new URL(url).pathname,
          `answered with something that is not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`,
        );
      }
      return new Response(text, { status: response.status, headers: response.headers });
    };
    return ex;
  };
  return {
    id,
    async fetchOHLCV(symbol, timeframe, since, limit) {
      ready ??= load();
      return (await ready).fetchOHLCV(symbol, timeframe, since, limit);
    },
  };
}

/** Exchange ids of LAB_CCXT_EXCHANGE ("binance" or "binance,kraken"); empty when unset. */
export function ccxtExchangeIds(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? "")
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s !== ""),
    ),
  ];
}
