import "server-only";
/**
 * THE data access functions for price history and fundamentals (backtest, screen and alert
 * modes all go through here). Bars live in the columnar chunk tables of
 * server/db/schema/market-data.ts; a symbol is either shared (workspace null) or owned by a
 * workspace, and a workspace's own symbol shadows a shared one of the same name.
 */
import { and, eq, gte, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { PgInsertValue } from "drizzle-orm/pg-core";
import type { BarSeries, FundamentalSeries } from "@/lib/data/bars";
import { packColumns, unpackColumns } from "@/lib/data/pack";
import { validateBars } from "@/lib/data/validate";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db";
import { marketBarChunks, marketFundamentalChunks, marketSymbols } from "@/server/db/schema";

/** Bars per stored chunk row. */
export const BAR_CHUNK_SIZE = 4096;
const FUND_KEYS = ["marketCap", "pe", "eps", "revenue", "pb", "debtToEquity"] as const;

/** Descriptive data saved with a series. */
export interface SeriesMeta {
  name?: string;
  sector?: string | null;
  /** demo | csv | yahoo | polygon | alpaca | ccxt | live */
  source: string;
  synthetic?: boolean;
  workspaceId?: string | null;
  meta?: Record<string, unknown>;
}

/** One symbol to save: validated bars, optional aligned fundamentals, and its metadata. */
export interface SeriesToSave {
  series: BarSeries;
  fundamentals?: FundamentalSeries;
  meta: SeriesMeta;
}

/** Range and scope of a load. `fromMs`/`toMs` are inclusive UTC ms. */
export interface LoadOptions {
  fromMs?: number;
  toMs?: number;
  workspaceId?: string | null;
}

const last = (a: Float64Array) => (a.length > 0 ? a[a.length - 1] : null);
const finiteOrNull = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);

/**
 * Save (replace) the full history of several symbols, all or nothing in one transaction.
 * Every series is validated first; fundamentals must match the bars' length.
 */
export async function saveManySeries(db: DbOrTx, items: SeriesToSave[]): Promise<void> {
  for (const { series, fundamentals } of items) {
    validateBars(series);
    if (fundamentals) {
      for (const key of FUND_KEYS) {
        if (fundamentals[key].length !== series.close.length) {
          throw new AppError("INVALID_INPUT", `${series.symbol}: fundamentals "${key}" has ${fundamentals[key].length} values for ${series.close.length} bars`);
        }
      }
    }
  }
  await db.transaction(async (tx) => {
    for (let b = 0; b < items.length; b += 50) await saveBatch(tx, items.slice(b, b + 50));
  });
}

/** Save (replace) one symbol's history; all or nothing. */
export async function saveSeries(db: DbOrTx, series: BarSeries, meta: SeriesMeta, fundamentals?: FundamentalSeries): Promise<void> {
  await saveManySeries(db, [{ series, meta, fundamentals }]);
}

/** Bytes sent as base64 text and decoded by the server (drivers encode bytea params byte by byte). */
function base64Param(bytes: Uint8Array) {
  return sql`decode(${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}, 'base64')`;
}

async function saveBatch(tx: DbOrTx, items: SeriesToSave[]): Promise<void> {
  const rows = items.map(({ series: s, fundamentals: f, meta }) => ({
    workspaceId: meta.workspaceId ?? null,
    symbol: s.symbol,
    name: meta.name ?? s.symbol,
    sector: meta.sector ?? f?.sector ?? null,
    source: meta.source,
    synthetic: meta.synthetic ?? false,
    barCount: s.close.length,
    firstMs: s.close.length > 0 ? s.timestampsMs[0] : null,
    lastMs: last(s.timestampsMs),
    lastClose: last(s.close),
    lastVolume: last(s.volume),
    marketCap: f ? finiteOrNull(last(f.marketCap)) : null,
    pe: f ? finiteOrNull(last(f.pe)) : null,
    pb: f ? finiteOrNull(last(f.pb)) : null,
    eps: f ? finiteOrNull(last(f.eps)) : null,
    revenue: f ? finiteOrNull(last(f.revenue)) : null,
    debtToEquity: f ? finiteOrNull(last(f.debtToEquity)) : null,
    meta: meta.meta ?? null,
    updatedAt: new Date(),
  }));
  const saved = await tx
    .insert(marketSymbols)
    .values(rows)
    .onConflictDoUpdate({
      target: [marketSymbols.workspaceId, marketSymbols.symbol],
      set: Object.fromEntries(
        ["name", "sector", "source", "synthetic", "barCount", "firstMs", "lastMs", "lastClose", "lastVolume", "marketCap", "pe", "pb", "eps", "revenue", "debtToEquity", "meta", "updatedAt"].map((k) => [
          k,
          sql.raw(`excluded.${(marketSymbols as unknown as Record<string, { name: string }>)[k].name}`),
        ]),
      ),
    })
    .returning({ id: marketSymbols.id, symbol: marketSymbols.symbol, workspaceId: marketSymbols.workspaceId });
  const idOf = new Map(saved.map((r) => [`${r.workspaceId ?? ""}|${r.symbol}`, r.id]));
  const ids = saved.map((r) => r.id);
  await tx.delete(marketBarChunks).where(inArray(marketBarChunks.symbolId, ids));
  await tx.delete(marketFundamentalChunks).where(inArray(marketFundamentalChunks.symbolId, ids));
  const barRows: PgInsertValue<typeof marketBarChunks>[] = [];
  const fundRows: PgInsertValue<typeof marketFundamentalChunks>[] = [];
  for (const { series: s, fundamentals: f, meta } of items) {
    const symbolId = idOf.get(`${meta.workspaceId ?? ""}|${s.symbol}`);
    if (!symbolId) throw new AppError("INTERNAL", `${s.symbol}: symbol row was not saved`);
    const cols = [s.timestampsMs, s.open, s.high, s.low, s.close, s.volume];
    for (let from = 0, chunk = 0; from < s.close.length; from += BAR_CHUNK_SIZE, chunk++) {
      const to = Math.min(s.close.length, from + BAR_CHUNK_SIZE);
      barRows.push({ symbolId, chunk, count: to - from, firstMs: s.timestampsMs[from], lastMs: s.timestampsMs[to - 1], data: base64Param(packColumns(cols, from, to)) });
      if (f) fundRows.push({ symbolId, chunk, count: to - from, data: base64Param(packColumns(FUND_KEYS.map((k) => f[k]), from, to)) });
    }
  }
  if (barRows.length > 0) await tx.insert(marketBarChunks).values(barRows);
  if (fundRows.length > 0) await tx.insert(marketFundamentalChunks).values(fundRows);
}

function scopeFilter(workspaceId: string | null | undefined) {
  return workspaceId ? or(isNull(marketSymbols.workspaceId), eq(marketSymbols.workspaceId, workspaceId)) : isNull(marketSymbols.workspaceId);
}

/** Resolve names to symbol rows (a workspace's own row wins over a shared one). Throws NOT_FOUND listing unknown symbols. */
export async function findSymbols(db: DbOrTx, symbols: string[], workspaceId?: string | null) {
  if (symbols.length === 0) return [];
  const rows = await db.select().from(marketSymbols).where(and(inArray(marketSymbols.symbol, symbols), scopeFilter(workspaceId)));
  const best = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!best.has(r.symbol) || r.workspaceId !== null) best.set(r.symbol, r);
  const missing = symbols.filter((s) => !best.has(s));
  if (missing.length > 0) throw new AppError("NOT_FOUND", `No data for symbol(s) ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", …" : ""}. Import a CSV or load the demo universe.`);
  return symbols.map((s) => best.get(s) as (typeof rows)[number]);
}

function rangeOf(ts: Float64Array, fromMs?: number, toMs?: number): [number, number] {
  let lo = 0, hi = ts.length;
  if (fromMs !== undefined) while (lo < hi && ts[lo] < fromMs) lo++;
  if (toMs !== undefined) while (hi > lo && ts[hi - 1] > toMs) hi--;
  return [lo, hi];
}

async function loadChunks(db: DbOrTx, table: typeof marketBarChunks | typeof marketFundamentalChunks, ids: string[], opts: LoadOptions) {
  const conds = [inArray(table.symbolId, ids)];
  if (table === marketBarChunks) {
    if (opts.fromMs !== undefined) conds.push(gte(marketBarChunks.lastMs, opts.fromMs));
    if (opts.toMs !== undefined) conds.push(lte(marketBarChunks.firstMs, opts.toMs));
  }
  // base64 text instead of raw bytea: drivers decode bytea's hex text form byte by byte in
  // JavaScript, which is many times slower than Buffer's native base64 decoder.
  const rows = await db
    .select({ symbolId: table.symbolId, chunk: table.chunk, data: sql<string>`encode(${table.data}, 'base64')` })
    .from(table)
    .where(and(...conds));
  // Ordered in JS: sorting wide rows in the database spills past work_mem (slow on PGlite).
  rows.sort((a, b) => (a.symbolId < b.symbolId ? -1 : a.symbolId > b.symbolId ? 1 : a.chunk - b.chunk));
  const bySymbol = new Map<string, { chunk: number; data: Uint8Array }[]>();
  for (const r of rows) {
    const list = bySymbol.get(r.symbolId) ?? [];
    list.push({ chunk: r.chunk, data: Buffer.from(r.data, "base64") });
    bySymbol.set(r.symbolId, list);
  }
  return bySymbol;
}

/**
 * Price history of `symbols` (in that order) between `fromMs` and `toMs` inclusive.
 * Throws AppError NOT_FOUND naming unknown symbols.
 */
export async function loadBars(db: DbOrTx, symbols: string[], opts: LoadOptions = {}): Promise<BarSeries[]> {
  const rows = await findSymbols(db, symbols, opts.workspaceId);
  const chunks = await loadChunks(db, marketBarChunks, rows.map((r) => r.id), opts);
  return rows.map((row) => {
    const [t, o, h, l, c, v] = unpackColumns((chunks.get(row.id) ?? []).map((x) => x.data), 6);
    const [lo, hi] = rangeOf(t, opts.fromMs, opts.toMs);
    return { symbol: row.symbol, timestampsMs: t.subarray(lo, hi), open: o.subarray(lo, hi), high: h.subarray(lo, hi), low: l.subarray(lo, hi), close: c.subarray(lo, hi), volume: v.subarray(lo, hi) };
  });
}

/**
 * Fundamentals of `symbols`, aligned bar by bar with {@link loadBars} for the same options.
 * A symbol without stored fundamentals gets NaN arrays.
 */
export async function loadFundamentals(db: DbOrTx, symbols: string[], opts: LoadOptions = {}): Promise<FundamentalSeries[]> {
  const rows = await findSymbols(db, symbols, opts.workspaceId);
  const ids = rows.map((r) => r.id);
  const bars = await loadChunks(db, marketBarChunks, ids, opts);
  const funds = await loadChunks(db, marketFundamentalChunks, ids, {});
  return rows.map((row) => {
    const barChunks = bars.get(row.id) ?? [];
    const byChunk = new Map((funds.get(row.id) ?? []).map((f) => [f.chunk, f.data]));
    const [t] = unpackColumns(barChunks.map((x) => x.data), 6);
    const blocks = barChunks.map((b) => byChunk.get(b.chunk) ?? packColumns(FUND_KEYS.map(() => new Float64Array(b.data.byteLength / 48).fill(Number.NaN))));
    const cols = unpackColumns(blocks, 6);
    const [lo, hi] = rangeOf(t, opts.fromMs, opts.toMs);
    const out = { sector: row.sector ?? "" } as FundamentalSeries;
    FUND_KEYS.forEach((k, i) => { out[k] = cols[i].subarray(lo, hi); });
    return out;
  });
}
