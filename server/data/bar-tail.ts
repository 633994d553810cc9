import "server-only";
/**
 * Reading the bar tail (market_bar_tail: recent bars appended after the chunks, one row per bar)
 * for many symbols at once, with an in-process cache that grows by the new rows only.
 *
 * A cached tail is valid while the symbol's `chunk_version` is unchanged (no compaction or
 * re-save since): tail rows are then append-only and always later than every earlier row (the
 * append statement checks `last_ms < ts` under the symbol row's lock), so the rows later than
 * the cached last timestamp are exactly what was added. The symbol row's xmin changes with every
 * append, so an unchanged xmin means nothing to read at all.
 *
 * Every query also returns the symbol's `chunk_version` as of that query: a caller compares it
 * with the version it planned with and reads again when a compaction came in between. Bars
 * appended after the plan (later than the planned row's `last_ms`) are left out, so a read of
 * many symbols sees each live-feed tick (one statement for every symbol) whole or not at all.
 */
import { sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/server/db";
import { cacheGet, cacheSet, QUERY_BATCH, type SymbolRow } from "./chunk-reader";
import { isPgliteLike, queryBinary, readInt4 } from "./pglite-binary";

/** Tail columns, in this order: timestamp, OHLCV, then the six fundamentals (NaN where null). */
export const TAIL_COLUMNS = [
  "ts_ms",
  "open",
  "high",
  "low",
  "close",
  "volume",
  "market_cap",
  "pe",
  "eps",
  "revenue",
  "pb",
  "debt_to_equity",
] as const;
const K = TAIL_COLUMNS.length;

/** One symbol's tail as columns of equal length (see {@link TAIL_COLUMNS}). */
export type TailColumns = Float64Array[];

interface TailEntry {
  chunkVersion: number;
  cols: TailColumns;
}

const EMPTY: TailColumns = TAIL_COLUMNS.map(() => new Float64Array(0));
/** Below every timestamp: "read the whole tail". */
const ALL = -Number.MAX_VALUE;

const FROM = `join market_symbol s on s.id = q.id
  left join market_bar_tail t on t.symbol_id = q.id and t.ts_ms > q.after
  order by q.ord, t.ts_ms`;

/** Rows of (ord, chunk version, 12 values or null) for `ids`, each read from after its `after` timestamp. */
async function query(
  db: DbOrTx,
  ids: string[],
  after: number[],
): Promise<{ ord: number; version: number; values: (number | null)[] }[]> {
  const client = (db as { $client?: unknown }).$client;
  const cols = TAIL_COLUMNS.map((c) => `t.${c}`).join(", ");
  if (!(db instanceof PgTransaction) && isPgliteLike(client)) {
    // Binary results: float8 arrives as 8 big-endian bytes, no text to parse.
    const text = `select q.ord::int4, s.chunk_version, ${cols} from unnest($1::uuid[], $2::float8[]) with ordinality as q(id, after, ord) ${FROM}`;
    const rows = await queryBinary(client, text, [`{${ids.join(",")}}`, `{${after.join(",")}}`]);
    return rows.map((r) => ({
      ord: readInt4(r[0]),
      version: readInt4(r[1]),
      values: r.slice(2).map((b) => (b ? new DataView(b.buffer, b.byteOffset, 8).getFloat64(0) : null)),
    }));
  }
  const named = sql.raw(TAIL_COLUMNS.map((c) => `t.${c} as c_${c}`).join(", "));
  const res = await db.execute(sql`select q.ord::int4 as ord, s.chunk_version, ${named}
    from unnest(${sql.param(ids)}::uuid[], ${sql.param(after)}::float8[]) with ordinality as q(id, after, ord) ${sql.raw(FROM)}`);
  return (res.rows as Record<string, unknown>[]).map((r) => ({
    ord: Number(r.ord),
    version: Number(r.chunk_version),
    values: TAIL_COLUMNS.map((c) => (r[`c_${c}`] === null ? null : Number(r[`c_${c}`]))),
  }));
}

/**
 * `cols` without the bars later than `lastMs` (appended after the caller's plan; tails are in
 * time order). Without this, a read in several batches could give symbols of an earlier batch
 * one bar less than those of a later one when a live-feed tick lands in between.
 */
function asPlanned(cols: TailColumns, lastMs: number | null | undefined): TailColumns {
  if (lastMs === undefined) return cols;
  const ts = cols[0];
  let n = ts.length;
  while (n > 0 && !(ts[n - 1] <= (lastMs ?? -Infinity))) n--;
  return n === ts.length ? cols : cols.map((c) => c.slice(0, n));
}

/**
 * The tail of each symbol in `rows` (`rows[i].chunkVersion` is the version the caller plans
 * with). Returns the tails and the ids whose version in the database differed (their tails are
 * not to be combined with chunks of the planned version, and are not cached).
 */
export async function readTails(
  db: DbOrTx,
  rows: SymbolRow[],
): Promise<{ tails: Map<string, TailColumns>; changed: string[] }> {
  const useCache = !(db instanceof PgTransaction);
  const tails = new Map<string, TailColumns>();
  const changed: string[] = [];
  const plan: { row: SymbolRow; base: TailEntry | null }[] = [];
  for (const row of rows) {
    const hit = useCache ? cacheGet<TailEntry>(`t|${row.id}`, `${row.chunkVersion}|${row.version}`) : undefined;
    if (hit) tails.set(row.id, hit.cols);
    else {
      const stale = useCache ? cacheGet<TailEntry>(`t|${row.id}`) : undefined;
      plan.push({ row, base: stale && stale.chunkVersion === row.chunkVersion ? stale : null });
    }
  }
  for (let b = 0; b < plan.length; b += QUERY_BATCH) {
    const batch = plan.slice(b, b + QUERY_BATCH);
    const after = batch.map(({ base }) =>
      base && base.cols[0].length > 0 ? base.cols[0][base.cols[0].length - 1] : ALL,
    );
    const got = await query(
      db,
      batch.map((p) => p.row.id),
      after,
    );
    const added: number[][][] = batch.map(() => TAIL_COLUMNS.map(() => []));
    const seen = new Map<number, number>();
    for (const r of got) {
      seen.set(r.ord, r.version);
      if (r.values[0] === null) continue; // left join: no new rows
      r.values.forEach((v, c) => added[r.ord - 1][c].push(v ?? Number.NaN));
    }
    batch.forEach(({ row, base }, i) => {
      if (seen.get(i + 1) !== row.chunkVersion) {
        changed.push(row.id);
        return;
      }
      const old = base?.cols ?? EMPTY;
      const grown =
        added[i][0].length === 0
          ? old
          : old.map((o, c) => {
              const out = new Float64Array(o.length + added[i][c].length);
              out.set(o);
              out.set(added[i][c], o.length);
              return out;
            });
      const cols = asPlanned(grown, row.lastMs);
      tails.set(row.id, cols);
      if (useCache)
        cacheSet(
          `t|${row.id}`,
          `${row.chunkVersion}|${row.version}`,
          { chunkVersion: row.chunkVersion, cols } satisfies TailEntry,
          cols[0].length * K * 8,
        );
    });
  }
  return { tails, changed };
}
