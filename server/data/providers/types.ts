import "server-only";
/** The one interface every market data provider adapter implements. */
import type { BarSeries, FundamentalSeries } from "@/lib/data/bars";
import type { BarInterval } from "@/lib/data/providers";
import type { FetchLike } from "./http";
import type { Resilience, ResilienceClock, ResilienceOptions } from "./resilience";
import type { RateGate } from "./shared-rate";

/** A bar request: inclusive UTC ms range and bar size. */
export interface FetchBarsRequest {
  fromMs: number;
  toMs: number;
  interval: BarInterval;
}

/** A source of bars (Yahoo, Polygon/Massive, Alpaca, a ccxt exchange). */
export interface MarketDataProvider {
  /** yahoo | polygon | alpaca | alphavantage | alphavantage-fx | ccxt:<exchange id> */
  readonly name: string;
  /** Its cache, rate limit, retries and breaker (state shown in metrics and on the Operations page). */
  readonly resilience?: Resilience;
  /**
   * Validated bars of `symbol` in the range. Throws ProviderResponseError (bad body or
   * provider error message), ProviderHttpError (non-retryable status) or
   * ProviderUnavailableError (retries used up, breaker open).
   */
  fetchBars(symbol: string, req: FetchBarsRequest): Promise<BarSeries>;
  /**
   * Fundamentals of `symbol` aligned bar by bar with `bars` (its freshly fetched bars), where
   * the provider publishes them. Throws like {@link fetchBars}.
   */
  fetchFundamentals?(symbol: string, bars: BarSeries): Promise<FundamentalSeries>;
  /** The provider's list of active symbols (for hydrating "all"), where it publishes one. */
  listSymbols?(opts?: { limit?: number }): Promise<string[]>;
}

/** What every adapter can be given (tests inject all of it). */
export interface ProviderDeps {
  fetch?: FetchLike;
  clock?: ResilienceClock;
  resilience?: Partial<ResilienceOptions>;
  /** Rate-limit buckets shared by every process (server mode); absent: limits per process. */
  rateGate?: RateGate;
}
