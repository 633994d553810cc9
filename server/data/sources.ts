import "server-only";
/**
 * Every data source the app knows, with its status for the data page: configured or not (and the
 * variable that turns it on), what it serves, its outbound rate limit and extra spacing, and its
 * circuit breaker's state. Sources are off until their variable is set.
 */
import { PROVIDER_ENV } from "./hydrate";
import type { MacroProvider, MarketDataProvider } from "./providers";
import type { Resilience } from "./providers";

export interface SourceStatus {
  name: string;
  /** What it serves. */
  serves: string;
  configured: boolean;
  /** The variable(s) that turn it on. */
  variable: string;
  /** Outbound calls per minute allowed, when configured. */
  ratePerMinute: number | null;
  /** Seconds between calls of the source's own spacing (Alpha Vantage's free tier), if any. */
  spacingSeconds: number | null;
  breaker: "closed" | "open" | "half-open" | null;
}

const SERVES: Record<string, string> = {
  yahoo: "daily and intraday bars (unofficial API)",
  polygon: "bars of US stocks and ETFs; symbol list (--all)",
  alpaca: "bars of US stocks",
  alphavantage: "daily bars, fundamentals (--fundamentals)",
  "alphavantage-fx": "daily currency pairs (EURUSD), Monday–Friday",
  ccxt: "crypto bars, every day of the week",
  fred: "macro series as strategy inputs (macro: [...])",
};

function limits(res: Resilience | undefined) {
  if (!res) return { ratePerMinute: null, spacingSeconds: null, breaker: null };
  const o = res.options;
  return {
    ratePerMinute: o.ratePerMinute,
    spacingSeconds: o.refillPerSecond !== undefined && o.refillPerSecond > 0 ? Math.round(1 / o.refillPerSecond) : null,
    breaker: res.breakerState,
  };
}

/** Each known source in a fixed order; a configured ccxt exchange is listed as `ccxt:<id>`. */
export function sourceStatuses(providers: MarketDataProvider[], macro: MacroProvider | null): SourceStatus[] {
  const out: SourceStatus[] = [];
  for (const name of Object.keys(PROVIDER_ENV)) {
    const matching =
      name === "ccxt"
        ? providers.filter((p) => p.name.startsWith("ccxt:"))
        : name === "fred"
          ? []
          : providers.filter((p) => p.name === name);
    const base = { serves: SERVES[name] ?? "", variable: PROVIDER_ENV[name] };
    if (name === "fred") out.push({ name, ...base, configured: macro !== null, ...limits(macro?.resilience) });
    else if (matching.length === 0)
      out.push({ name, ...base, configured: false, ratePerMinute: null, spacingSeconds: null, breaker: null });
    else for (const p of matching) out.push({ name: p.name, ...base, configured: true, ...limits(p.resilience) });
  }
  return out;
}
