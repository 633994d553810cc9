import "server-only";
/**
 * Fetching a symbol's bars from a configured provider into a workspace (same storage and
 * audit as a CSV import). Providers are passed in so tests can use fakes; the app passes
 * {@link appProviders}.
 */
import type { BarInterval } from "@/lib/data/providers";
import { dataQualityReport, type QualityReport } from "@/lib/data/quality";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getDb, type Db } from "@/server/db";
import { recordAudit } from "@/server/services/audit";
import {
  configuredMacroProvider,
  configuredProviders,
  postgresRateGate,
  type MacroProvider,
  ProviderHttpError,
  ProviderResponseError,
  ProviderUnavailableError,
  type MarketDataProvider,
} from "./providers";
import { addToUniverse, IMPORTED_DESCRIPTION, IMPORTED_UNIVERSE, normaliseSymbol } from "./service";
import { saveSeries } from "./store";
import type { WorkspaceCaller } from "@/server/auth/access";

const APP_PROVIDERS = Symbol.for("strategy-lab.market-data-providers");
type G = typeof globalThis & { [APP_PROVIDERS]?: MarketDataProvider[] };

/**
 * The providers the environment turns on (built once per process, so caches and breakers persist).
 * In server mode (DATABASE_URL) their rate limits are shared through Postgres by every process.
 */
export function appProviders(): MarketDataProvider[] {
  const g = globalThis as G;
  const e = env();
  g[APP_PROVIDERS] ??= configuredProviders(e, e.DATABASE_URL ? { rateGate: postgresRateGate(getDb) } : {});
  return g[APP_PROVIDERS];
}

/** Fetch `symbol` from the provider named `providerName` and store it as the workspace's own series. */
export async function importFromProvider(
  db: Db,
  caller: WorkspaceCaller,
  providers: MarketDataProvider[],
  input: { provider: string; symbol: string; fromMs: number; toMs: number; interval: BarInterval },
): Promise<{ symbol: string; bars: number; firstMs: number; lastMs: number; quality: QualityReport }> {
  const provider = providers.find((p) => p.name === input.provider);
  if (!provider) {
    const on = providers.map((p) => p.name).join(", ") || "none";
    throw new AppError(
      "INVALID_INPUT",
      `Provider "${input.provider}" is not configured (configured: ${on}). See Configuration in the README.`,
    );
  }
  if (!(input.fromMs < input.toMs))
    throw new AppError("INVALID_INPUT", "The start of the range must be before its end.");
  const symbol = normaliseSymbol(input.symbol);
  let series;
  try {
    series = await provider.fetchBars(symbol, { fromMs: input.fromMs, toMs: input.toMs, interval: input.interval });
  } catch (err) {
    if (err instanceof ProviderUnavailableError)
      throw new AppError("UNAVAILABLE", err.message, {
        cause: err,
        retryAfterSeconds: err.retryAtMs ? Math.max(1, Math.ceil((err.retryAtMs - Date.now()) / 1000)) : undefined,
      });
    if (err instanceof ProviderHttpError || err instanceof ProviderResponseError)
      throw new AppError("UNPROCESSABLE", err.message, { cause: err });
    throw err;
  }
  const n = series.close.length;
  if (n === 0) throw new AppError("NOT_FOUND", `${provider.name} returned no bars for ${symbol} in that range.`);
  const firstMs = series.timestampsMs[0],
    lastMs = series.timestampsMs[n - 1];
  await db.transaction(async (tx) => {
    await saveSeries(
      tx,
      { ...series, symbol },
      {
        source: provider.name.split(":")[0],
        name: symbol,
        workspaceId: caller.workspaceId,
        meta: { provider: provider.name, interval: input.interval },
      },
    );
    await addToUniverse(tx, caller.workspaceId, IMPORTED_UNIVERSE, IMPORTED_DESCRIPTION, symbol);
    await recordAudit(tx, {
      action: "data.fetched",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "symbol", id: symbol },
      metadata: { provider: provider.name, interval: input.interval, bars: n, firstMs, lastMs },
    });
  });
  return { symbol, bars: n, firstMs, lastMs, quality: dataQualityReport(series) };
}

const APP_MACRO = Symbol.for("strategy-lab.macro-provider");
type GM = typeof globalThis & { [APP_MACRO]?: MacroProvider | null };

/** The FRED macro series source, when FRED_API_KEY is set (built once per process). */
export function appMacroProvider(): MacroProvider | null {
  const g = globalThis as GM;
  if (g[APP_MACRO] === undefined) g[APP_MACRO] = configuredMacroProvider(env());
  return g[APP_MACRO];
}
