import "server-only";
/**
 * Reading packed chunks for many symbols at once, with an in-process cache of the packed bytes.
 *
 * Transfer: on embedded PGlite the chunks come in the binary wire format (./pglite-binary.ts,
 * raw bytes). Postgres drivers only read text results, so there the database sends each chunk
 * as base64 text (`encode(data, 'base64')`) decoded by Buffer's native decoder (bytea's hex
 * text would be decoded byte by byte in JavaScript). Rows are ordered in JS, not in the database (sorting wide rows
 * spills past work_mem, slow on PGlite).
 *
 * Cache: a symbol's chunks are kept after a load, keyed by the symbol row id and validated on
 * every load against that row's xmin (the id of the transaction that last wrote it; a write
 * always makes a new row version with its own xmin). Every write path (saveManySeries, the
 * live feed) rewrites the row in the same transaction as the chunks, so a changed symbol is
 * always re-read, also when another process wrote it. Never used inside a transaction (it
 * could see uncommitted rows). Bounded by LAB_DATA_CACHE_MB, least recently used out first.
 */
import { inArray, sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import type { DbOrTx } from "@/server/db";
import { marketBarChunks, marketFundamentalChunks, type MarketSymbol } from "@/server/db/schema";
import { isPgliteLike, queryBinary, readInt4, type PgliteLike } from "./pglite-binary";

/** Byte budget of the packed-chunk cache per process (LAB_DATA_CACHE_MB; 500 symbols × 10 years of bars ≈ 60 MB). */
function cacheBudgetBytes(): number {
  return env().LAB_DATA_CACHE_MB * 2 ** 20;
}

type ChunkTable = typeof marketBarChunks | typeof marketFundamentalChunks;
interface Entry { fingerprint: string; blocks: Map<number, Uint8Array>; bytes: number }

const CACHE = Symbol.for("strategy-lab.market-chunk-cache");
type G = typeof globalThis & { [CACHE]?: { entries: Map<string, Entry>; bytes: number } };
function cache() {
  const g = globalThis as G;
  g[CACHE] ??= { entries: new Map(), bytes: 0 };
  return g[CACHE];
}

/** Drop every cached chunk (tests; a process that rewrote rows outside the store functions). */
export function clearChunkCache(): void {
  const c = cache();
  c.entries.clear();
  c.bytes = 0;
}

/** A symbol row as findSymbols returns it; `version` is the row's xmin (changes with every write). */
type SymbolRow = Pick<MarketSymbol, "id"> & { version: string };
const fingerprintOf = (r: SymbolRow) => r.version;

/** Symbols per query: bounds the response alive at once (~12 MB raw, ~16 MB base64, for 10 years of daily bars). */
export const QUERY_BATCH = 100;

/** A copy of `b` in its own 8-byte-aligned buffer (so Float64 views need no further copy). */
function ownAligned(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(b.byteLength));
  out.set(b);
  return out;
}

async function queryPglite(pglite: PgliteLike, table: ChunkTable, ids: string[]): Promise<Map<string, Map<number, Uint8Array>>> {
  const out = new Map<string, Map<number, Uint8Array>>();
  const name = table === marketBarChunks ? "market_bar_chunk" : "market_fundamental_chunk";
  for (let b = 0; b < ids.length; b += QUERY_BATCH) {
    const batch = ids.slice(b, b + QUERY_BATCH);
    const rows = await queryBinary(
      pglite,
      `select s.ord::int4, c.chunk, c.data from unnest($1::uuid[]) with ordinality as s(id, ord) join ${name} c on c.symbol_id = s.id`,
      [`{${batch.join(",")}}`],
    );
    for (const [ord, chunk, data] of rows) {
      const id = batch[readInt4(ord) - 1];
      let m = out.get(id);
      if (!m) out.set(id, (m = new Map()));
      m.set(readInt4(chunk), ownAligned(data ?? new Uint8Array(0)));
    }
  }
  return out;
}

async function query(db: DbOrTx, table: ChunkTable, ids: string[]): Promise<Map<string, Map<number, Uint8Array>>> {
  const client = (db as { $client?: unknown }).$client;
  if (!(db instanceof PgTransaction) && isPgliteLike(client)) return queryPglite(client, table, ids);
  const out = new Map<string, Map<number, Uint8Array>>();
  for (let b = 0; b < ids.length; b += QUERY_BATCH) {
    const rows = await db
      .select({ symbolId: table.symbolId, chunk: table.chunk, data: sql<string>`encode(${table.data}, 'base64')` })
      .from(table)
      .where(inArray(table.symbolId, ids.slice(b, b + QUERY_BATCH)));
    for (const r of rows) {
      let m = out.get(r.symbolId);
      if (!m) out.set(r.symbolId, (m = new Map()));
      m.set(r.chunk, Buffer.from(r.data, "base64"));
    }
  }
  return out;
}

/**
 * Every chunk of each symbol in `rows` from `table`, as `chunk number → packed bytes`
 * (a symbol without chunks maps to an empty map). Served from the cache where the row's
 * fingerprint matches; the rest comes from the database in batches of {@link QUERY_BATCH} symbols.
 */
export async function readChunks(db: DbOrTx, table: ChunkTable, rows: SymbolRow[]): Promise<Map<string, Map<number, Uint8Array>>> {
  const useCache = !(db instanceof PgTransaction);
  const c = cache();
  const kind = table === marketBarChunks ? "b" : "f";
  const out = new Map<string, Map<number, Uint8Array>>();
  const missing: SymbolRow[] = [];
  for (const r of rows) {
    const key = `${kind}|${r.id}`;
    const hit = useCache ? c.entries.get(key) : undefined;
    if (hit && hit.fingerprint === fingerprintOf(r)) {
      c.entries.delete(key); // re-insert: most recently used last
      c.entries.set(key, hit);
      out.set(r.id, hit.blocks);
    } else missing.push(r);
  }
  const fetched = await query(db, table, missing.map((r) => r.id));
  for (const r of missing) {
    const blocks = fetched.get(r.id) ?? new Map<number, Uint8Array>();
    out.set(r.id, blocks);
    if (useCache) remember(c, `${kind}|${r.id}`, { fingerprint: fingerprintOf(r), blocks, bytes: [...blocks.values()].reduce((n, b) => n + b.byteLength, 0) });
  }
  return out;
}

function remember(c: NonNullable<G[typeof CACHE]>, key: string, entry: Entry): void {
  const old = c.entries.get(key);
  if (old) { c.bytes -= old.bytes; c.entries.delete(key); }
  const budget = cacheBudgetBytes();
  if (entry.bytes > budget) return;
  while (c.bytes + entry.bytes > budget) {
    const first = c.entries.keys().next();
    if (first.done) break;
    c.bytes -= c.entries.get(first.value)?.bytes ?? 0;
    c.entries.delete(first.value);
  }
  c.entries.set(key, entry);
  c.bytes += entry.bytes;
}
