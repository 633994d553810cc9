import "server-only";
/**
 * Hydration: load many symbols' bars from one configured provider, split into batches on the
 * `data-hydrate` queue so every worker process takes part (server/jobs/worker.ts).
 *
 * Exactly once per symbol: a symbol's bars, its universe entry and its state row's move from
 * `pending` to ok | no_data | error are one transaction, and the state update is conditional
 * (`status = 'pending'`). A batch whose worker was killed is retried by pg-boss (heartbeat) on
 * another worker, which skips what was already settled; two workers racing on one symbol
 * serialise on the row lock and the second finds it settled and writes nothing.
 * Resuming (after a restart, or when jobs were lost) re-queues the pending symbols. Only missing
 * bars are loaded: a symbol already held gets the bars after its last one appended, which is
 * also how the scheduled refresh ({@link refreshHydratedUniverses}) keeps hydrated universes current.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { hostname } from "node:os";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db";
import { hydrations, hydrationSymbols, marketSymbols, marketUniverses } from "@/server/db/schema";
import type { FundamentalSeries } from "@/lib/data/bars";
import { appendBars, type BarFundamentals } from "./bar-append";
import { normaliseSymbol } from "./service";
import { saveSeries } from "./store";
import type { MarketDataProvider } from "./providers";

/** Puts batches on the queue (server/jobs/hydrate.ts: the `data-hydrate` queue). */
export type EnqueueBatches = (jobs: HydrateBatchJob[]) => Promise<void>;
/** Symbols per queued batch. */
export const HYDRATE_BATCH = 25;
/** Most symbols one hydration takes. */
export const MAX_HYDRATE_SYMBOLS = 20_000;

const WORKER_ID = `${hostname()}:${process.pid}:${Date.now()}`;

/** The env variable(s) that turn each built-in provider on. */
export const PROVIDER_ENV: Record<string, string> = {
  yahoo: "LAB_YAHOO_ENABLED=true",
  polygon: "POLYGON_API_KEY",
  alpaca: "ALPACA_KEY_ID and ALPACA_SECRET_KEY",
  alphavantage: "ALPHAVANTAGE_API_KEY",
  "alphavantage-fx": "ALPHAVANTAGE_API_KEY",
  ccxt: "LAB_CCXT_EXCHANGE (a ccxt exchange id such as binance; the provider is then ccxt:<id>)",
  fred: "FRED_API_KEY",
};

/** The configured provider `name`; INVALID_INPUT naming the variable to set, or the known names. */
export function pickProvider(providers: MarketDataProvider[], name: string): MarketDataProvider {
  const p = providers.find((x) => x.name === name);
  if (p) return p;
  if (name === "fred")
    throw new AppError(
      "INVALID_INPUT",
      "FRED series are macro inputs, not bars: load them with `npm run lab -- data hydrate --provider fred --symbols DGS10,…` (needs FRED_API_KEY).",
    );
  if (name.startsWith("ccxt:") && name.length > 5)
    throw new AppError(
      "INVALID_INPUT",
      `Provider "${name}" is not configured: set LAB_CCXT_EXCHANGE=${name.slice(5)}.`,
    );
  if (PROVIDER_ENV[name])
    throw new AppError("INVALID_INPUT", `Provider "${name}" is not configured: set ${PROVIDER_ENV[name]}.`);
  const known = [...new Set([...Object.keys(PROVIDER_ENV), ...providers.map((x) => x.name)])].join(", ");
  throw new AppError("INVALID_INPUT", `Unknown provider "${name}" (known: ${known}).`);
}

export interface HydrationInput {
  workspaceId: string | null;
  provider: string;
  symbols: string[];
  fromMs: number;
  toMs: number;
  /** Universe the hydrated symbols are added to (default `<provider>-hydrated`). */
  universe?: string;
  /** Also load fundamentals, where the provider publishes them. */
  fundamentals?: boolean;
  /** Runs in the transaction that records the hydration (an audit record). */
  onCreated?: (tx: DbOrTx, hydrationId: string) => Promise<void>;
}

export interface HydrateBatchJob {
  hydrationId: string;
  symbols: string[];
}

/** Checked symbols: normalised, unique, in the given order. INVALID_INPUT naming the bad one. */
export function checkSymbolList(raw: string[]): string[] {
  const symbols = [
    ...new Set(
      raw
        .map((s) => s.trim())
        .filter((s) => s !== "")
        .map(normaliseSymbol),
    ),
  ];
  if (symbols.length === 0) throw new AppError("INVALID_INPUT", "The symbol list is empty; give at least one symbol.");
  if (symbols.length > MAX_HYDRATE_SYMBOLS)
    throw new AppError(
      "INVALID_INPUT",
      `At most ${MAX_HYDRATE_SYMBOLS} symbols per hydration (got ${symbols.length}).`,
    );
  return symbols;
}

/** A checked hydration, ready to record: the provider's name, the symbols, the target universe. */
export interface HydrationPlan {
  workspaceId: string | null;
  provider: string;
  symbols: string[];
  fromMs: number;
  toMs: number;
  universe: string;
  fundamentals: boolean;
}

/** Check a hydration's input (provider configured, symbols, range, universe name); INVALID_INPUT naming what is wrong. */
export function planHydration(providers: MarketDataProvider[], input: HydrationInput): HydrationPlan {
  const provider = pickProvider(providers, input.provider);
  const symbols = checkSymbolList(input.symbols);
  if (!(Number.isFinite(input.fromMs) && Number.isFinite(input.toMs)))
    throw new AppError("INVALID_INPUT", "from and to must be dates.");
  if (!(input.fromMs < input.toMs))
    throw new AppError("INVALID_INPUT", "The date range is reversed or empty: `from` must be before `to`.");
  const universe = (input.universe ?? `${provider.name.replace(/[^a-z0-9._-]/gi, "-").toLowerCase()}-hydrated`).trim();
  if (!/^[a-z0-9][a-z0-9._-]{0,47}$/.test(universe))
    throw new AppError(
      "INVALID_INPUT",
      "Universe names use lower-case letters, digits and . _ - (up to 48 characters).",
    );
  return {
    workspaceId: input.workspaceId,
    provider: provider.name,
    symbols,
    fromMs: input.fromMs,
    toMs: input.toMs,
    universe,
    fundamentals: input.fundamentals === true && provider.fetchFundamentals !== undefined,
  };
}

/** Record a planned hydration and its pending symbols (in the caller's transaction); nothing is queued. */
export async function recordHydration(tx: DbOrTx, plan: HydrationPlan): Promise<string> {
  const [row] = await tx
    .insert(hydrations)
    .values({
      workspaceId: plan.workspaceId,
      provider: plan.provider,
      fromMs: plan.fromMs,
      toMs: plan.toMs,
      universe: plan.universe,
      total: plan.symbols.length,
      fundamentals: plan.fundamentals,
    })
    .returning({ id: hydrations.id });
  for (let i = 0; i < plan.symbols.length; i += 1000) {
    await tx
      .insert(hydrationSymbols)
      .values(plan.symbols.slice(i, i + 1000).map((symbol) => ({ hydrationId: row.id, symbol })));
  }
  return row.id;
}

/** Record a hydration and its pending symbols, then queue its batches. */
export async function createHydration(
  db: Db,
  enqueue: EnqueueBatches,
  providers: MarketDataProvider[],
  input: HydrationInput,
): Promise<{ hydrationId: string; total: number; batches: number }> {
  const plan = planHydration(providers, input);
  const hydrationId = await db.transaction(async (tx) => {
    const id = await recordHydration(tx, plan);
    await input.onCreated?.(tx, id);
    return id;
  });
  const batches = await queuePending(db, enqueue, hydrationId);
  return { hydrationId, total: plan.symbols.length, batches };
}

/**
 * Stop a hydration: its still-pending symbols settle as errors ("cancelled"), so queued batches
 * find nothing to do. Symbols already written stay. Returns how many were stopped.
 */
export async function cancelHydration(db: DbOrTx, hydrationId: string, reason = "cancelled"): Promise<number> {
  const rows = await db
    .update(hydrationSymbols)
    .set({ status: "error", reason, updatedAt: new Date() })
    .where(and(eq(hydrationSymbols.hydrationId, hydrationId), eq(hydrationSymbols.status, "pending")))
    .returning({ symbol: hydrationSymbols.symbol });
  return rows.length;
}

/** Queue a batch for every still-pending symbol (resume after a restart or lost jobs). Returns the batch count. */
export async function queuePending(db: DbOrTx, enqueue: EnqueueBatches, hydrationId: string): Promise<number> {
  const pending = await db
    .select({ symbol: hydrationSymbols.symbol })
    .from(hydrationSymbols)
    .where(and(eq(hydrationSymbols.hydrationId, hydrationId), eq(hydrationSymbols.status, "pending")))
    .orderBy(asc(hydrationSymbols.symbol));
  const jobs: HydrateBatchJob[] = [];
  for (let i = 0; i < pending.length; i += HYDRATE_BATCH)
    jobs.push({ hydrationId, symbols: pending.slice(i, i + HYDRATE_BATCH).map((p) => p.symbol) });
  if (jobs.length > 0) await enqueue(jobs);
  return jobs.length;
}

/** Add symbols to a universe of `workspaceId` (null: shared), creating it; serialised per universe name. */
async function addToUniverseLocked(
  tx: DbOrTx,
  workspaceId: string | null,
  name: string,
  symbol: string,
): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`universe:${workspaceId ?? "shared"}:${name}`}))`);
  const u = marketUniverses;
  const scope = workspaceId === null ? sql`${u.workspaceId} is null` : eq(u.workspaceId, workspaceId);
  const updated = await tx
    .update(u)
    .set({
      symbols: sql`array(select distinct unnest(${u.symbols} || array[${symbol}]::text[]) order by 1)`,
      updatedAt: new Date(),
    })
    .where(and(eq(u.name, name), scope))
    .returning({ name: u.name });
  if (updated.length === 0)
    await tx
      .insert(u)
      .values({ workspaceId, name, description: "Symbols hydrated from a data provider", symbols: [symbol] });
}

function fundamentalsAt(f: FundamentalSeries, i: number): BarFundamentals {
  return {
    marketCap: f.marketCap[i],
    pe: f.pe[i],
    eps: f.eps[i],
    revenue: f.revenue[i],
    pb: f.pb[i],
    debtToEquity: f.debtToEquity[i],
  };
}

type Outcome = { status: "ok"; bars: number } | { status: "no_data" | "error"; reason: string };

/** The symbol's own row in exactly this scope (workspace, or shared when null), if any. */
async function existingRow(
  db: DbOrTx,
  workspaceId: string | null,
  symbol: string,
): Promise<{ id: string; lastMs: number | null } | null> {
  const m = marketSymbols;
  const [row] = await db
    .select({ id: m.id, lastMs: m.lastMs })
    .from(m)
    .where(and(eq(m.symbol, symbol), workspaceId === null ? isNull(m.workspaceId) : eq(m.workspaceId, workspaceId)));
  return row ?? null;
}

/**
 * Settle one symbol: fetch (outside any transaction), then write bars + state in one
 * transaction if it is still pending. Only missing bars are fetched and written: a symbol the
 * scope already holds gets the bars after its last bar appended (a refresh); a new one is
 * stored whole. Returns false when another worker had settled it.
 */
async function settleSymbol(
  db: Db,
  h: typeof hydrations.$inferSelect,
  provider: MarketDataProvider | null,
  symbol: string,
  workerId: string,
): Promise<boolean> {
  let outcome: Outcome;
  let series = null;
  let fundamentals: FundamentalSeries | null = null;
  const existing = await existingRow(db, h.workspaceId, symbol);
  const after = existing?.lastMs ?? null;
  if (!provider)
    outcome = {
      status: "error",
      reason: `provider ${h.provider} is not configured on worker ${workerId.split(":").slice(0, 2).join(":")}`,
    };
  else if (after !== null && after >= h.toMs)
    outcome = { status: "no_data", reason: `up to date: last bar ${new Date(after).toISOString().slice(0, 10)}` };
  else {
    try {
      series = await provider.fetchBars(symbol, {
        fromMs: after !== null ? Math.max(h.fromMs, after + 1) : h.fromMs,
        toMs: h.toMs,
        interval: "1d",
      });
      if (after !== null) {
        const keep = Array.from(series.timestampsMs.keys()).filter((i) => series!.timestampsMs[i] > after);
        const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
        series = {
          ...series,
          timestampsMs: pick(series.timestampsMs),
          open: pick(series.open),
          high: pick(series.high),
          low: pick(series.low),
          close: pick(series.close),
          volume: pick(series.volume),
        };
      }
      // Fundamentals are part of the symbol's write: a failure here (the free tier's limit, say) fails the symbol.
      if (h.fundamentals && provider.fetchFundamentals && series.close.length > 0)
        fundamentals = await provider.fetchFundamentals(symbol, series);
      outcome =
        series.close.length > 0
          ? { status: "ok", bars: series.close.length }
          : {
              status: "no_data",
              reason:
                after !== null
                  ? `no new bars after ${new Date(after).toISOString().slice(0, 10)}`
                  : `${provider.name} returned no bars in the range`,
            };
    } catch (err) {
      outcome = { status: "error", reason: err instanceof Error ? err.message.slice(0, 500) : String(err) };
    }
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(hydrationSymbols)
      .set({
        status: outcome.status,
        bars: outcome.status === "ok" ? outcome.bars : 0,
        reason: outcome.status === "ok" ? null : outcome.reason,
        writes: sql`${hydrationSymbols.writes} + ${outcome.status === "ok" ? 1 : 0}`,
        worker: workerId,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(hydrationSymbols.hydrationId, h.id),
          eq(hydrationSymbols.symbol, symbol),
          eq(hydrationSymbols.status, "pending"),
        ),
      )
      .returning({ symbol: hydrationSymbols.symbol });
    if (!row) return false;
    if (outcome.status === "ok" && series && provider) {
      if (existing && after !== null) {
        for (let i = 0; i < series.close.length; i++) {
          await appendBars(tx, [
            {
              symbolId: existing.id,
              timestampMs: series.timestampsMs[i],
              open: series.open[i],
              high: series.high[i],
              low: series.low[i],
              close: series.close[i],
              volume: series.volume[i],
              ...(fundamentals ? { fundamentals: fundamentalsAt(fundamentals, i) } : {}),
            },
          ]);
        }
      } else {
        await saveSeries(
          tx,
          { ...series, symbol },
          {
            source: provider.name.split(":")[0],
            name: symbol,
            workspaceId: h.workspaceId,
            meta: { provider: provider.name, hydration: h.id },
          },
          fundamentals ?? undefined,
        );
      }
      await addToUniverseLocked(tx, h.workspaceId, h.universe, symbol);
    }
    return true;
  });
}

/**
 * Scheduled refresh: for every hydrated universe (the latest hydration of each workspace and
 * universe name), a new hydration of the universe's current symbols up to `nowMs`; each symbol
 * then fetches only the bars after its last one. Universes whose provider is not configured in
 * this process are skipped (listed). Returns what was started.
 */
export async function refreshHydratedUniverses(
  db: Db,
  enqueue: EnqueueBatches,
  providers: MarketDataProvider[],
  nowMs: number,
): Promise<{
  started: { hydrationId: string; universe: string; workspaceId: string | null; total: number }[];
  skipped: string[];
}> {
  const latest = await db.execute(sql`
    select distinct on (workspace_id, universe) id, workspace_id, universe, provider, from_ms, fundamentals
    from hydration order by workspace_id, universe, created_at desc`);
  const rows = (
    latest as unknown as {
      rows: {
        id: string;
        workspace_id: string | null;
        universe: string;
        provider: string;
        from_ms: string | number;
        fundamentals: boolean | null;
      }[];
    }
  ).rows;
  const started: { hydrationId: string; universe: string; workspaceId: string | null; total: number }[] = [];
  const skipped: string[] = [];
  const toMs = Math.floor(nowMs / 86_400_000) * 86_400_000;
  for (const r of rows) {
    if (!providers.some((p) => p.name === r.provider)) {
      skipped.push(`${r.universe}: provider ${r.provider} is not configured`);
      continue;
    }
    const u = marketUniverses;
    const [universe] = await db
      .select({ symbols: u.symbols })
      .from(u)
      .where(
        and(
          eq(u.name, r.universe),
          r.workspace_id === null ? isNull(u.workspaceId) : eq(u.workspaceId, r.workspace_id),
        ),
      );
    if (!universe || universe.symbols.length === 0) {
      skipped.push(`${r.universe}: no hydrated symbols`);
      continue;
    }
    const fromMs = Number(r.from_ms);
    if (!(fromMs < toMs)) continue;
    const made = await createHydration(db, enqueue, providers, {
      workspaceId: r.workspace_id,
      provider: r.provider,
      symbols: universe.symbols,
      fromMs,
      toMs,
      universe: r.universe,
      fundamentals: r.fundamentals === true,
    });
    started.push({
      hydrationId: made.hydrationId,
      universe: r.universe,
      workspaceId: r.workspace_id,
      total: made.total,
    });
  }
  return { started, skipped };
}

/** Work one queued batch: settle each of its still-pending symbols. */
export async function hydrateBatch(
  db: Db,
  providers: MarketDataProvider[],
  job: HydrateBatchJob,
  opts: { workerId?: string; onSymbol?: (symbol: string) => void } = {},
): Promise<{ settled: number; skipped: number }> {
  const [h] = await db.select().from(hydrations).where(eq(hydrations.id, job.hydrationId));
  if (!h) return { settled: 0, skipped: job.symbols.length };
  const provider = providers.find((p) => p.name === h.provider) ?? null;
  const pending = new Set(
    (
      await db
        .select({ symbol: hydrationSymbols.symbol })
        .from(hydrationSymbols)
        .where(
          and(
            eq(hydrationSymbols.hydrationId, h.id),
            eq(hydrationSymbols.status, "pending"),
            sql`${hydrationSymbols.symbol} = any(${sql.param(job.symbols)}::text[])`,
          ),
        )
    ).map((r) => r.symbol),
  );
  let settled = 0;
  for (const symbol of job.symbols) {
    if (!pending.has(symbol)) continue;
    if (await settleSymbol(db, h, provider, symbol, opts.workerId ?? WORKER_ID)) settled++;
    opts.onSymbol?.(symbol);
  }
  return { settled, skipped: job.symbols.length - settled };
}

/** Progress of a hydration: symbols done / total, per status, bars written, ETA from the pace so far. */
export interface HydrationProgress {
  hydrationId: string;
  provider: string;
  universe: string;
  fromMs: number;
  toMs: number;
  total: number;
  done: number;
  ok: number;
  noData: number;
  error: number;
  bars: number;
  etaSeconds: number | null;
}

export async function hydrationProgress(db: DbOrTx, hydrationId: string, nowMs: number): Promise<HydrationProgress> {
  const [h] = await db.select().from(hydrations).where(eq(hydrations.id, hydrationId));
  if (!h) throw new AppError("NOT_FOUND", "Unknown hydration.");
  const rows = await db
    .select({
      status: hydrationSymbols.status,
      n: sql<number>`count(*)::int`,
      bars: sql<number>`coalesce(sum(${hydrationSymbols.bars}), 0)::bigint`,
    })
    .from(hydrationSymbols)
    .where(eq(hydrationSymbols.hydrationId, hydrationId))
    .groupBy(hydrationSymbols.status);
  const by = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  const done = by("ok") + by("no_data") + by("error");
  const elapsed = (nowMs - h.createdAt.getTime()) / 1000;
  return {
    hydrationId,
    provider: h.provider,
    universe: h.universe,
    fromMs: h.fromMs,
    toMs: h.toMs,
    total: h.total,
    done,
    ok: by("ok"),
    noData: by("no_data"),
    error: by("error"),
    bars: rows.reduce((n, r) => n + Number(r.bars), 0),
    etaSeconds: done === 0 ? null : done >= h.total ? 0 : Math.round((elapsed / done) * (h.total - done)),
  };
}

/** Per-symbol results (ok / no_data / error with reason), by symbol. */
export async function hydrationResults(db: DbOrTx, hydrationId: string) {
  return db
    .select({
      symbol: hydrationSymbols.symbol,
      status: hydrationSymbols.status,
      bars: hydrationSymbols.bars,
      reason: hydrationSymbols.reason,
      writes: hydrationSymbols.writes,
    })
    .from(hydrationSymbols)
    .where(eq(hydrationSymbols.hydrationId, hydrationId))
    .orderBy(asc(hydrationSymbols.symbol));
}

/** The workspace's latest hydrations, newest first, each with its progress. */
export async function listHydrations(
  db: DbOrTx,
  workspaceId: string,
  nowMs: number,
  limit = 20,
): Promise<(HydrationProgress & { createdMs: number })[]> {
  const rows = await db
    .select({ id: hydrations.id, createdAt: hydrations.createdAt })
    .from(hydrations)
    .where(eq(hydrations.workspaceId, workspaceId))
    .orderBy(sql`${hydrations.createdAt} desc`)
    .limit(limit);
  return Promise.all(
    rows.map(async (r) => ({ ...(await hydrationProgress(db, r.id, nowMs)), createdMs: r.createdAt.getTime() })),
  );
}
