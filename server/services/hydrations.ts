import "server-only";
/**
 * Hydrations started from the app (tRPC `data.hydrate`, REST `mode: "hydrate"`): `hydrate` runs
 * of the workspace; each run records its hydration, whose batches go on the `data-hydrate` queue
 * that every worker (the app's in-process worker included) takes part in.
 */
import type { Db, DbOrTx } from "@/server/db";
import type { WorkspaceCaller } from "@/server/auth/access";
import {
  hydrationResults,
  listHydrations,
  pickProvider,
  planHydration,
  type HydrationPlan,
} from "@/server/data/hydrate";
import type { MarketDataProvider } from "@/server/data/providers";
import { SYMBOL_PATTERN } from "@/server/data/service";
import type { HydrateSettings } from "@/lib/schemas/runs";
import { appProviders } from "@/server/data/provider-import";
import { hydrations } from "@/server/db/schema";
import { and, eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";

/**
 * Start a hydration from the app as a `hydrate` run (the same path as REST `mode: "hydrate"`):
 * checked before anything is written, recorded with its run and audited as `run.created`; the
 * run's handler queues the batches and reports progress. Returns the run and its hydration.
 */
export async function startHydration(
  db: Db,
  caller: WorkspaceCaller,
  input: {
    provider: string;
    symbols: string[];
    fromMs: number;
    toMs: number;
    universe?: string;
    fundamentals?: boolean;
  },
): Promise<{ runId: string; hydrationId: string; total: number }> {
  const { startRun, getRun } = await import("./runs");
  const day = (ms: number) => {
    const d = new Date(ms);
    if (!Number.isFinite(ms)) throw new AppError("INVALID_INPUT", "from and to must be dates.");
    return d.toISOString().slice(0, 10);
  };
  const { runId } = await startRun(db, caller, {
    kind: "hydrate",
    priority: "interactive",
    hydrate: {
      provider: input.provider,
      symbols: input.symbols,
      from: day(input.fromMs),
      to: day(input.toMs),
      quick: false,
      universe: input.universe,
      fundamentals: input.fundamentals,
    },
  });
  const run = await getRun(db, caller.workspaceId, runId);
  const hydrationId = run.input.kind === "hydrate" ? run.input.hydrationId : "";
  const [h] = await db.select({ total: hydrations.total }).from(hydrations).where(eq(hydrations.id, hydrationId));
  return { runId, hydrationId, total: h?.total ?? 0 };
}

export function workspaceHydrations(db: DbOrTx, workspaceId: string) {
  return listHydrations(db, workspaceId, Date.now());
}

/** Per-symbol results of one of the workspace's hydrations; NOT_FOUND for another workspace's. */
export async function workspaceHydrationResults(db: DbOrTx, workspaceId: string, hydrationId: string) {
  const [h] = await db
    .select({ id: hydrations.id })
    .from(hydrations)
    .where(and(eq(hydrations.id, hydrationId), eq(hydrations.workspaceId, workspaceId)));
  if (!h) throw new AppError("NOT_FOUND", "Hydration not found.");
  return hydrationResults(db, hydrationId);
}

const DAY = 86_400_000;
/** `quick`: this many symbols, over the last 30 days unless `from` is given (the CLI's --quick). */
export const QUICK_HYDRATE_SYMBOLS = 5;

/** An AppError naming the run spec's field (REST answers 400 with the message). */
function fieldError(field: string, err: unknown): never {
  const message = err instanceof AppError ? err.message : err instanceof Error ? err.message : String(err);
  throw new AppError("INVALID_INPUT", `hydrate.${field}: ${message}`, {
    fieldErrors: { [`hydrate.${field}`]: [message] },
  });
}

/**
 * A hydrate run's settings checked and resolved into a hydration plan before anything is written:
 * the provider must be configured here (the message names the variable to set), `all` reads the
 * provider's symbol list, `quick` samples, the range defaults to the five years (30 days quick)
 * before `to` (default: today). INVALID_INPUT naming `hydrate.<field>`.
 */
export async function planHydrateRun(
  workspaceId: string,
  settings: HydrateSettings,
  nowMs: number,
  providers: MarketDataProvider[] = appProviders(),
): Promise<HydrationPlan> {
  let provider: MarketDataProvider;
  try {
    provider = pickProvider(providers, settings.provider);
  } catch (err) {
    fieldError("provider", err);
  }
  let symbols: string[];
  if (settings.all) {
    if (!provider.listSymbols) fieldError("all", `${provider.name} does not publish a symbol list; give \`symbols\`.`);
    try {
      symbols = (await provider.listSymbols({ limit: settings.quick ? QUICK_HYDRATE_SYMBOLS : undefined })).filter(
        (s) => SYMBOL_PATTERN.test(s),
      );
    } catch (err) {
      throw new AppError(
        "UNAVAILABLE",
        `${provider.name}: could not read its symbol list: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    if (symbols.length === 0) fieldError("all", `${provider.name} listed no symbols.`);
  } else symbols = settings.symbols ?? [];
  if (settings.quick) symbols = symbols.slice(0, QUICK_HYDRATE_SYMBOLS);
  const toMs = settings.to ? Date.parse(`${settings.to}T00:00:00Z`) : Math.floor(nowMs / DAY) * DAY;
  const fromMs = settings.from
    ? Date.parse(`${settings.from}T00:00:00Z`)
    : toMs - (settings.quick ? 30 : 5 * 365) * DAY;
  if (!(fromMs < toMs)) fieldError("from", "The date range is reversed or empty: `from` must be before `to`.");
  try {
    return planHydration(providers, {
      workspaceId,
      provider: provider.name,
      symbols,
      fromMs,
      toMs,
      universe: settings.universe,
      fundamentals: settings.fundamentals,
    });
  } catch (err) {
    if (err instanceof AppError && /universe/i.test(err.message)) fieldError("universe", err);
    if (err instanceof AppError) fieldError("symbols", err);
    throw err;
  }
}
