import "server-only";
/**
 * THE data access functions for price history and fundamentals (backtest, screen and alert
 * modes all go through here). Bars live in the columnar chunk tables of
 * server/db/schema/market-data.ts, followed by the bars appended since (the bar tail: see
 * ./bar-append.ts for appends and compaction, ./bar-tail.ts for reading it); a symbol is either
 * shared (workspace null) or owned by a workspace, and a workspace's own symbol shadows a
 * shared one of the same name.
 */
import { and, inArray, sql } from "drizzle-orm";
import type { PgInsertValue } from "drizzle-orm/pg-core";
import { alignSeries, type AlignedBars, type AlignOptions } from "@/lib/data/align";
import type { BarSeries, FundamentalSeries } from "@/lib/data/bars";
import { packColumns, unpackColumn } from "@/lib/data/pack";
import { validateBars } from "@/lib/data/validate";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db";
import { marketBarChunks, marketBarTail, marketFundamentalChunks, marketSymbols } from "@/server/db/schema";
import { readTails, type TailColumns } from "./bar-tail";
import { readChunks } from "./chunk-reader";
import { ownRowsWin, visibleTo } from "./scope";

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
          throw new AppError(
            "INVALID_INPUT",
            `${series.symbol}: fundamentals "${key}" has ${fundamentals[key].length} values for ${series.close.length} bars`,
          );
        }
      }
    }
  }
  await db.transaction(async (tx) => {
    for (let b = 0; b < items.length; b += 50) await saveBatch(tx, items.slice(b, b + 50));
  });
}

/** Save (replace) one symbol's history; all or nothing. */
export async function saveSeries(
  db: DbOrTx,
  series: BarSeries,
  meta: SeriesMeta,
  fundamentals?: FundamentalSeries,
): Promise<void> {
  await saveManySeries(db, [{ series, meta, fundamentals }]);
}

/** Bytes sent as base64 text and decoded by the server (drivers encode bytea params byte by byte). */
export function base64Param(bytes: Uint8Array) {
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
        [
          "name",
          "sector",
          "source",
          "synthetic",
          "barCount",
          "firstMs",
          "lastMs",
          "lastClose",
          "lastVolume",
          "marketCap",
          "pe",
          "pb",
          "eps",
          "revenue",
          "debtToEquity",
          "meta",
          "updatedAt",
        ]
          .map((k) => [
            k,
            sql.raw(`excluded.${(marketSymbols as unknown as Record<string, { name: string }>)[k].name}`),
          ])
          .concat([["chunkVersion", sql`${marketSymbols.chunkVersion} + 1`]]),
      ),
    })
    .returning({ id: marketSymbols.id, symbol: marketSymbols.symbol, workspaceId: marketSymbols.workspaceId });
  const idOf = new Map(saved.map((r) => [`${r.workspaceId ?? ""}|${r.symbol}`, r.id]));
  const ids = saved.map((r) => r.id);
  await tx.delete(marketBarChunks).where(inArray(marketBarChunks.symbolId, ids));
  await tx.delete(marketFundamentalChunks).where(inArray(marketFundamentalChunks.symbolId, ids));
  await tx.delete(marketBarTail).where(inArray(marketBarTail.symbolId, ids));
  const barRows: PgInsertValue<typeof marketBarChunks>[] = [];
  const fundRows: PgInsertValue<typeof marketFundamentalChunks>[] = [];
  for (const { series: s, fundamentals: f, meta } of items) {
    const symbolId = idOf.get(`${meta.workspaceId ?? ""}|${s.symbol}`);
    if (!symbolId) throw new AppError("INTERNAL", `${s.symbol}: symbol row was not saved`);
    const cols = [s.timestampsMs, s.open, s.high, s.low, s.close, s.volume];
    for (let from = 0, chunk = 0; from < s.close.length; from += BAR_CHUNK_SIZE, chunk++) {
      const to = Math.min(s.close.length, from + BAR_CHUNK_SIZE);
      barRows.push({
        symbolId,
        chunk,
        count: to - from,
        firstMs: s.timestampsMs[from],
        lastMs: s.timestampsMs[to - 1],
        data: base64Param(packColumns(cols, from, to)),
      });
      if (f)
        fundRows.push({
          symbolId,
          chunk,
          count: to - from,
          data: base64Param(
            packColumns(
              FUND_KEYS.map((k) => f[k]),
              from,
              to,
            ),
          ),
        });
    }
  }
  if (barRows.length > 0) await tx.insert(marketBarChunks).values(barRows);
  if (fundRows.length > 0) await tx.insert(marketFundamentalChunks).values(fundRows);
}

function scopeFilter(workspaceId: string | null | undefined) {
  return visibleTo(marketSymbols.workspaceId, workspaceId);
}

const m = marketSymbols;
/**
 * The symbol row columns loads need, and no more: decoding each value of a result costs
 * microseconds on PGlite, which adds up for 500 symbols. `chunkVersion` changes with every
 * chunk rewrite (the chunk cache keys on it); `version` is the row's `xmin`, the id of the
 * transaction that last wrote it, which also changes with every append (the tail cache keys on
 * both; reading `updated_at` costs far more, timestamp output is slow on PGlite).
 */
const FOUND_COLUMNS = {
  id: m.id,
  workspaceId: m.workspaceId,
  symbol: m.symbol,
  sector: m.sector,
  synthetic: m.synthetic,
  chunkVersion: m.chunkVersion,
  lastMs: m.lastMs,
  version: sql<string>`"market_symbol".xmin::text`,
};

/**
 * Resolve names to symbol rows (a workspace's own row wins over a shared one), in the order
 * asked. Throws NOT_FOUND listing unknown symbols.
 */
export async function findSymbols(db: DbOrTx, symbols: string[], workspaceId?: string | null) {
  if (symbols.length === 0) return [];
  // One array parameter instead of an IN list of N parameters (much cheaper for 500 symbols).
  const rows = await db
    .select(FOUND_COLUMNS)
    .from(m)
    .where(and(sql`${m.symbol} = any(${sql.param(symbols)}::text[])`, scopeFilter(workspaceId)));
  const best = ownRowsWin(rows, (r) => r.symbol);
  const missing = symbols.filter((s) => !best.has(s));
  if (missing.length > 0)
    throw new AppError(
      "NOT_FOUND",
      `No data for symbol(s) ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", …" : ""}. Import a CSV or load the demo universe.`,
    );
  return symbols.map((s) => best.get(s) as (typeof rows)[number]);
}

/** Index range `[lo, hi)` of `ts` (ascending) within `[fromMs, toMs]` (binary search). */
function rangeOf(ts: Float64Array, fromMs?: number, toMs?: number): [number, number] {
  const lowerBound = (x: number, strict: boolean) => {
    let lo = 0,
      hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (strict ? ts[mid] <= x : ts[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lo = fromMs === undefined ? 0 : lowerBound(fromMs, false);
  const hi = toMs === undefined ? ts.length : lowerBound(toMs, true);
  return [lo, Math.max(lo, hi)];
}

/** The symbol's blocks in chunk order. */
function orderedBlocks(byChunk: Map<number, Uint8Array> | undefined): { chunk: number; data: Uint8Array }[] {
  return [...(byChunk ?? new Map<number, Uint8Array>()).entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([chunk, data]) => ({ chunk, data }));
}

/** Reads that keep meeting a concurrent rewrite give up after this many attempts. */
const READ_ATTEMPTS = 4;

/**
 * Symbol rows, tails and chunks of `symbols`, all of one chunk version per symbol. The tail is
 * read before the chunks: when both queries saw the version findSymbols planned with, no
 * compaction or re-save came in between, so the chunks read later are those the tail continues.
 * Otherwise everything is planned and read again.
 */
async function readStored(
  db: DbOrTx,
  symbols: string[],
  workspaceId: string | null | undefined,
  withFundamentals: boolean,
) {
  for (let attempt = 1; ; attempt++) {
    const rows = await findSymbols(db, symbols, workspaceId);
    const { tails, changed } = await readTails(db, rows);
    const bars = await readChunks(db, marketBarChunks, rows);
    const funds = withFundamentals ? await readChunks(db, marketFundamentalChunks, rows) : null;
    const all = [...changed, ...bars.changed, ...(funds?.changed ?? [])];
    if (all.length === 0)
      return { rows, tails, bars: bars.chunks, funds: funds?.chunks ?? new Map<string, Map<number, Uint8Array>>() };
    if (attempt >= READ_ATTEMPTS) {
      const names = rows.filter((r) => all.includes(r.id)).map((r) => r.symbol);
      throw new AppError(
        "UNAVAILABLE",
        `Market data of ${names.slice(0, 10).join(", ")} kept changing while being read; try again`,
      );
    }
  }
}

/**
 * Index of the first tail bar after the last chunk bar. A tail never overlaps the chunks it
 * continues (appends and compaction see to it); this only keeps a bar from appearing twice.
 */
function tailStart(barBlocks: Uint8Array[], tail: TailColumns | undefined): number {
  if (!tail || barBlocks.length === 0) return 0;
  const b = barBlocks[barBlocks.length - 1];
  const n = b.byteLength / 48;
  if (n === 0) return 0;
  const lastMs = new DataView(b.buffer, b.byteOffset, b.byteLength).getFloat64((n - 1) * 8, true);
  let i = 0;
  while (i < tail[0].length && tail[0][i] <= lastMs) i++;
  return i;
}

/** The tail's columns `cols` from row `from` on, as one more packed block (or none when empty). */
function tailBlock(tail: TailColumns | undefined, from: number, cols: number[]): Uint8Array[] {
  return tail && from < tail[0].length
    ? [
        packColumns(
          cols.map((c) => tail[c]),
          from,
          tail[0].length,
        ),
      ]
    : [];
}

const BAR_TAIL_COLS = [0, 1, 2, 3, 4, 5];
const FUND_TAIL_COLS = [6, 7, 8, 9, 10, 11];

/**
 * Price history of `symbols` (in that order) between `fromMs` and `toMs` inclusive: the
 * chunked history followed by the bars appended since (the tail).
 * Throws AppError NOT_FOUND naming unknown symbols.
 */
export async function loadBars(db: DbOrTx, symbols: string[], opts: LoadOptions = {}): Promise<BarSeries[]> {
  const { rows, tails, bars } = await readStored(db, symbols, opts.workspaceId, false);
  return rows.map((row) => {
    const chunks = orderedBlocks(bars.get(row.id)).map((x) => x.data);
    const tail = tails.get(row.id);
    const blocks = [...chunks, ...tailBlock(tail, tailStart(chunks, tail), BAR_TAIL_COLS)];
    const all = unpackColumn(blocks, 6, 0);
    const [lo, hi] = rangeOf(all, opts.fromMs, opts.toMs);
    const col = (c: number) => unpackColumn(blocks, 6, c, lo, hi);
    return {
      symbol: row.symbol,
      timestampsMs: lo === 0 && hi === all.length ? all : all.slice(lo, hi),
      open: col(1),
      high: col(2),
      low: col(3),
      close: col(4),
      volume: col(5),
    };
  });
}

/**
 * Price history of `symbols` aligned on one calendar (see lib/data/align.ts for the calendar
 * and fill rules): the whole-column form the engine and the sandbox use. Cheaper than
 * `alignSeries(await loadBars(…))`, which copies every column once more.
 */
export async function loadAlignedBars(
  db: DbOrTx,
  symbols: string[],
  opts: LoadOptions & AlignOptions = {},
): Promise<AlignedBars> {
  // loadBars hands out fresh arrays nobody else holds, so alignment may keep them.
  return alignSeries(await loadBars(db, symbols, opts), {
    calendar: opts.calendar,
    fill: opts.fill,
    reuseInputs: true,
  });
}

/**
 * Fundamentals of `symbols`, aligned bar by bar with {@link loadBars} for the same options.
 * A symbol without stored fundamentals gets NaN arrays (so does a tail bar appended without them).
 */
export async function loadFundamentals(
  db: DbOrTx,
  symbols: string[],
  opts: LoadOptions = {},
): Promise<FundamentalSeries[]> {
  const { rows, tails, bars, funds } = await readStored(db, symbols, opts.workspaceId, true);
  return rows.map((row) => {
    const barChunks = orderedBlocks(bars.get(row.id));
    const byChunk = funds.get(row.id) ?? new Map<number, Uint8Array>();
    const tail = tails.get(row.id);
    const chunkData = barChunks.map((x) => x.data);
    const skip = tailStart(chunkData, tail);
    const t = unpackColumn([...chunkData, ...tailBlock(tail, skip, BAR_TAIL_COLS)], 6, 0);
    const blocks = barChunks
      .map(
        (b) =>
          byChunk.get(b.chunk) ??
          packColumns(FUND_KEYS.map(() => new Float64Array(b.data.byteLength / 48).fill(Number.NaN))),
      )
      .concat(tailBlock(tail, skip, FUND_TAIL_COLS));
    const [lo, hi] = rangeOf(t, opts.fromMs, opts.toMs);
    const out = { sector: row.sector ?? "" } as FundamentalSeries;
    FUND_KEYS.forEach((k, i) => {
      out[k] = unpackColumn(blocks, 6, i, lo, hi);
    });
    return out;
  });
}
