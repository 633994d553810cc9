import "server-only";
/**
 * Crypto bars through an injected ccxt-like exchange (ccxt itself is not a dependency: a
 * deployment that wants it constructs the exchange and passes it in). Each `fetchOHLCV` page
 * goes through the provider's {@link Resilience}; ccxt's network-class errors are retried.
 */
import type { BarSeries } from "@/lib/data/bars";
import { fetchCcxtBars, type CcxtLikeExchange } from "@/lib/data/providers";
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
    async fetchBars(symbol: string, req: FetchBarsRequest): Promise<BarSeries> {
      return (await fetchCcxtBars(resilient, symbol, { ...req, pageSize: deps.pageSize })).series;
    },
  };
}
