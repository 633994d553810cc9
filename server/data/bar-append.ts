import "server-only";
/**
 * Appending bars (the live feed) and folding the appended bars into the chunks.
 *
 * An append is ONE statement for any number of symbols: it updates each symbol row (bar count,
 * latest bar and fundamentals) only where the new bar is later than the row's last bar, and
 * inserts those bars into market_bar_tail. No chunk is rewritten, so the chunk cache stays warm;
 * the row's new xmin tells readers to fetch the new tail rows. The row update takes the row
 * lock first, so two appends to one symbol are applied in timestamp order or not at all.
 *
 * Compaction moves a long tail into the chunks, a few symbols per transaction with a pause
 * between them (on embedded PGlite every other query waits while a transaction runs).
 */
import { and, desc, eq, lte, sql } from "drizzle-orm";
import { packColumns, unpackColumns } from "@/lib/data/pack";
import { validateBars } from "@/lib/data/validate";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db";
import { marketBarChunks, marketBarTail, marketFundamentalChunks, marketSymbols } from "@/server/db/schema";
import { TAIL_COLUMNS } from "./bar-tail";
import { BAR_CHUNK_SIZE, base64Param } from "./store";

/** Fundamentals of one appended bar (units as in FundamentalSeries). */
export interface BarFundamentals {
  marketCap: number;
  pe: number;
  eps: number;
  revenue: number;
  pb: number;
  debtToEquity: number;
}

/** One new bar of one stored symbol (by symbol row id). */
export interface BarToAppend {
  symbolId: string;
  /** Bar time, UTC ms; must be later than the symbol's last bar, or the bar is skipped. */
  timestampMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  fundamentals?: BarFundamentals;
}

const FUND_KEYS = ["marketCap", "pe", "eps", "revenue", "pb", "debtToEquity"] as const;
const finiteOrNull = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);

/**
 * Append one bar to each of several symbols in one statement (at most one bar per symbol per
 * call). A bar not later than its symbol's last bar is skipped (a repeated tick adds nothing).
 * Returns how many bars were appended. Throws INVALID_INPUT naming the symbol id of a bad bar
 * (non-finite or non-positive prices, high/low not around open/close, negative volume) or of a
 * symbol given twice.
 */
export async function appendBars(db: DbOrTx, bars: BarToAppend[]): Promise<number> {
  if (bars.length === 0) return 0;
  const seen = new Set<string>();
  for (const b of bars) {
    if (seen.has(b.symbolId))
      throw new AppError("INVALID_INPUT", `symbol ${b.symbolId}: more than one bar in one append`);
    seen.add(b.symbolId);
    const one = (v: number) => new Float64Array([v]);
    validateBars({
      symbol: b.symbolId,
      timestampsMs: one(b.timestampMs),
      open: one(b.open),
      high: one(b.high),
      low: one(b.low),
      close: one(b.close),
      volume: one(b.volume),
    });
  }
  const col = (pick: (b: BarToAppend) => number | null) => sql.param(bars.map(pick));
  const fund = (k: (typeof FUND_KEYS)[number]) => col((b) => finiteOrNull(b.fundamentals?.[k]));
  const res = await db.execute(sql`
    with v(id, ts, o, h, l, c, vol, mc, pe, eps, rev, pb, de) as (
      select * from unnest(${sql.param(bars.map((b) => b.symbolId))}::uuid[], ${col((b) => b.timestampMs)}::float8[],
        ${col((b) => b.open)}::float8[], ${col((b) => b.high)}::float8[], ${col((b) => b.low)}::float8[], ${col((b) => b.close)}::float8[],
        ${col((b) => b.volume)}::float8[], ${fund("marketCap")}::float8[], ${fund("pe")}::float8[], ${fund("eps")}::float8[],
        ${fund("revenue")}::float8[], ${fund("pb")}::float8[], ${fund("debtToEquity")}::float8[])
    ), upd as (
      update market_symbol s set bar_count = s.bar_count + 1, first_ms = coalesce(s.first_ms, v.ts), last_ms = v.ts,
        last_close = v.c, last_volume = v.vol, market_cap = v.mc, pe = v.pe, eps = v.eps, revenue = v.rev, pb = v.pb,
        debt_to_equity = v.de, updated_at = now()
      from v where s.id = v.id and (s.last_ms is null or s.last_ms < v.ts)
      returning s.id
    ), ins as (
      insert into market_bar_tail (symbol_id, ${sql.raw(TAIL_COLUMNS.join(", "))})
      select v.id, v.ts, v.o, v.h, v.l, v.c, v.vol, v.mc, v.pe, v.eps, v.rev, v.pb, v.de from v join upd on upd.id = v.id
      returning 1
    )
    select count(*)::int4 as n from ins`);
  return Number((res as unknown as { rows: { n: unknown }[] }).rows[0]?.n ?? 0);
}

/** Options of {@link compactBarTails}. */
export interface CompactOptions {
  /** Fold a symbol's tail once it has at least this many bars (default 256). */
  minRows?: number;
  /** At most this many symbols per call, longest tails first (default: all). */
  maxSymbols?: number;
  /** Symbols per transaction (default 2); other queries get a turn between transactions. */
  perTransaction?: number;
}

/**
 * Fold the tails of symbols with at least `minRows` appended bars into their chunks (extending
 * the last chunk, starting new ones past BAR_CHUNK_SIZE). Loads return the same arrays before
 * and after. Returns the symbols and bars folded.
 */
export async function compactBarTails(db: Db, opts: CompactOptions = {}): Promise<{ symbols: number; bars: number }> {
  const minRows = opts.minRows ?? 256;
  const per = Math.max(1, opts.perTransaction ?? 2);
  const n = sql<number>`count(*)::int4`;
  const due = await db
    .select({ id: marketBarTail.symbolId, n })
    .from(marketBarTail)
    .groupBy(marketBarTail.symbolId)
    .having(sql`count(*) >= ${minRows}`)
    .orderBy(desc(n), marketBarTail.symbolId)
    .limit(opts.maxSymbols ?? 1_000_000);
  let bars = 0;
  for (let b = 0; b < due.length; b += per) {
    await db.transaction(async (tx) => {
      for (const { id } of due.slice(b, b + per)) bars += await compactOne(tx, id);
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { symbols: due.length, bars };
}

/** Fold one symbol's whole tail into its chunks; returns the bars folded. */
async function compactOne(tx: DbOrTx, symbolId: string): Promise<number> {
  // Bump the version first: it locks the row, so no append runs until this commits, and readers
  // drop their cached chunks and tail of this symbol.
  const locked = await tx
    .update(marketSymbols)
    .set({ chunkVersion: sql`${marketSymbols.chunkVersion} + 1` })
    .where(eq(marketSymbols.id, symbolId))
    .returning({ id: marketSymbols.id });
  if (locked.length === 0) return 0;
  const t = marketBarTail;
  const tail = await tx.select().from(t).where(eq(t.symbolId, symbolId)).orderBy(t.tsMs);
  if (tail.length === 0) return 0;
  const [last] = await tx
    .select()
    .from(marketBarChunks)
    .where(eq(marketBarChunks.symbolId, symbolId))
    .orderBy(desc(marketBarChunks.chunk))
    .limit(1);
  const [fund] = last
    ? await tx
        .select()
        .from(marketFundamentalChunks)
        .where(and(eq(marketFundamentalChunks.symbolId, symbolId), eq(marketFundamentalChunks.chunk, last.chunk)))
    : [];
  const start = last ? last.chunk : 0;
  const oldBars = last ? unpackColumns([last.data], 6) : [0, 1, 2, 3, 4, 5].map(() => new Float64Array(0));
  const tailFund = tail.map((r) => FUND_KEYS.map((k) => r[k]));
  const withFund = fund !== undefined || tailFund.some((r) => r.some((v) => v !== null));
  const oldFund = fund
    ? unpackColumns([fund.data], 6)
    : FUND_KEYS.map(() => new Float64Array(oldBars[0].length).fill(Number.NaN));
  const join = (old: Float64Array, add: number[]) => {
    const o = new Float64Array(old.length + add.length);
    o.set(old);
    o.set(add, old.length);
    return o;
  };
  const barCols = [
    join(
      oldBars[0],
      tail.map((r) => r.tsMs),
    ),
    join(
      oldBars[1],
      tail.map((r) => r.open),
    ),
    join(
      oldBars[2],
      tail.map((r) => r.high),
    ),
    join(
      oldBars[3],
      tail.map((r) => r.low),
    ),
    join(
      oldBars[4],
      tail.map((r) => r.close),
    ),
    join(
      oldBars[5],
      tail.map((r) => r.volume),
    ),
  ];
  const fundCols = FUND_KEYS.map((_, k) =>
    join(
      oldFund[k],
      tailFund.map((r) => r[k] ?? Number.NaN),
    ),
  );
  await tx
    .delete(marketBarChunks)
    .where(and(eq(marketBarChunks.symbolId, symbolId), sql`${marketBarChunks.chunk} >= ${start}`));
  await tx
    .delete(marketFundamentalChunks)
    .where(and(eq(marketFundamentalChunks.symbolId, symbolId), sql`${marketFundamentalChunks.chunk} >= ${start}`));
  const total = barCols[0].length;
  for (let from = 0, chunk = start; from < total; from += BAR_CHUNK_SIZE, chunk++) {
    const to = Math.min(total, from + BAR_CHUNK_SIZE);
    await tx.insert(marketBarChunks).values({
      symbolId,
      chunk,
      count: to - from,
      firstMs: barCols[0][from],
      lastMs: barCols[0][to - 1],
      data: base64Param(packColumns(barCols, from, to)),
    });
    if (withFund)
      await tx
        .insert(marketFundamentalChunks)
        .values({ symbolId, chunk, count: to - from, data: base64Param(packColumns(fundCols, from, to)) });
  }
  await tx.delete(t).where(and(eq(t.symbolId, symbolId), lte(t.tsMs, tail[tail.length - 1].tsMs)));
  return tail.length;
}
