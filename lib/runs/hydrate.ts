/**
 * The `hydrate` run kind's result: what one hydration of a provider's symbols into a workspace
 * universe ended with (server/jobs/handlers/hydrate.ts fills it from the hydration's rows).
 */

/** How one symbol settled: ok (bars written), no_data, or error with the reason. */
export interface HydrateSymbolResult {
  symbol: string;
  status: "ok" | "no_data" | "error";
  bars: number;
  reason: string | null;
}

export interface HydrateResult {
  hydrationId: string;
  provider: string;
  universe: string;
  /** Requested range, YYYY-MM-DD. */
  from: string;
  to: string;
  total: number;
  ok: number;
  noData: number;
  error: number;
  /** Bars written over every symbol. */
  bars: number;
  symbols: HydrateSymbolResult[];
}
