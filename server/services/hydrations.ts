import "server-only";
/**
 * Hydrations started from the app (tRPC `data.hydrate`): the workspace's own, audited in the
 * transaction that records them; batches go on the `data-hydrate` queue that every worker
 * (the app's in-process worker included) takes part in.
 */
import type { Db, DbOrTx } from "@/server/db";
import type { WorkspaceCaller } from "@/server/auth/access";
import {
  createHydration,
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
import { getBoss } from "@/server/jobs/boss";
import { enqueueHydrateBatches } from "@/server/jobs/hydrate";
import { hydrations } from "@/server/db/schema";
import { and, eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { recordAudit } from "./audit";

export async function startHydration(
  db: Db,
  caller: WorkspaceCaller,
  input: { provider: string; symbols: string[]; fromMs: number; toMs: number; universe?: string },
) {
  const boss = await getBoss();
  return createHydration(db, enqueueHydrateBatches(boss), appProviders(), {
    ...input,
    workspaceId: caller.workspaceId,
    onCreated: (tx, id) =>
      recordAudit(tx, {
        action: "data.hydration_started",
        actor: caller.actor,
        workspaceId: caller.workspaceId,
        target: { type: "hydration", id },
        metadata: { provider: input.provider, symbols: input.symbols.length, fromMs: input.fromMs, toMs: input.toMs },
      }),
  });
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
    });
  } catch (err) {
    if (err instanceof AppError && /universe/i.test(err.message)) fieldError("universe", err);
    if (err instanceof AppError) fieldError("symbols", err);
    throw err;
  }
}
