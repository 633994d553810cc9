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
 * every load against the row's `chunk_version`, which every chunk rewrite (saveManySeries, a
 * tail compaction) bumps in the same transaction, so changed chunks are always re-read, also
 * when another process wrote them. Appends go to the bar tail (./bar-tail.ts) and leave the
 * chunks and their cache alone. Each query also returns the version it saw, so a rewrite that
 * lands between planning and reading is reported, not mixed in. Never used inside a
 * transaction (it could see uncommitted rows). The same LRU store (bounded by
 * LAB_DATA_CACHE_MB, least recently used out first) also holds the tails.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import type { DbOrTx } from "@/server/db";
import { marketBarChunks, marketFundamentalChunks, marketSymbols, type MarketSymbol } from "@/server/db/schema";
import { isPgliteLike, queryBinary, readInt4, type PgliteLike } from "./pglite-binary";
import { metrics } from "@/server/ops/metrics";

/** Byte budget of the packed-chunk cache per process (LAB_DATA_CACHE_MB; 500 symbols × 10 years of bars ≈ 60 MB). */
function cacheBudgetBytes(): number {
  return env().LAB_DATA_CACHE_MB * 2 ** 20;
}

type ChunkTable = typeof marketBarChunks | typeof marketFundamentalChunks;
interface Entry {
  fingerprint: string;
  value: unknown;
  bytes: number;
}

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

/**
 * A symbol row as findSymbols returns it: `chunkVersion` changes with every chunk rewrite,
 * `version` (the row's xmin) with every write of the row, appends included.
 */
/**
 * A symbol row as a read planned it. `lastMs` is the row's last bar time then: tail bars later
 * than it were appended after the plan and are left out, so one read sees each append to many
 * symbols whole or not at all.
 */
export type SymbolRow = Pick<MarketSymbol, "id" | "chunkVersion"> & { version: string; lastMs?: number | null };

const CACHE_NAMES: Record<string, string> = { b: "bar_chunks", f: "fundamental_chunks", t: "bar_tail" };

/** The cached value under `key` (most recently used from now on) when its fingerprint is `fingerprint` (any, when omitted). */
export function cacheGet<T>(key: string, fingerprint?: string): T | undefined {
  const c = cache();
  const hit = c.entries.get(key);
  const found = hit !== undefined && (fingerprint === undefined || hit.fingerprint === fingerprint);
  // Fingerprinted lookups are the real reads; a fingerprint-less one only salvages a stale entry.
  if (fingerprint !== undefined)
    (found ? metrics().cacheHits : metrics().cacheMisses).inc({
      cache: CACHE_NAMES[key.split("|")[0] ?? ""] ?? "market_data",
    });
  if (!hit || !found) return undefined;
  c.entries.delete(key); // re-insert: most recently used last
  c.entries.set(key, hit);
  return hit.value as T;
}

/** Keep `value` (`bytes` large) under `key`, evicting the least recently used entries past the budget. */
export function cacheSet(key: string, fingerprint: string, value: unknown, bytes: number): void {
  remember(cache(), key, { fingerprint, value, bytes });
}

/** Symbols per query: bounds the response alive at once (~12 MB raw, ~16 MB base64, for 10 years of daily bars). */
export const QUERY_BATCH = 100;

/** A copy of `b` in its own 8-byte-aligned buffer (so Float64 views need no further copy). */
function ownAligned(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(b.byteLength));
  out.set(b);
  return out;
}

/** Chunks by symbol id, and the chunk version each symbol had in the query that read them. */
interface Fetched {
  blocks: Map<string, Map<number, Uint8Array>>;
  versions: Map<string, number>;
}

async function queryPglite(pglite: PgliteLike, table: ChunkTable, ids: string[]): Promise<Fetched> {
  const out = new Map<string, Map<number, Uint8Array>>();
  const versions = new Map<string, number>();
  const name = table === marketBarChunks ? "market_bar_chunk" : "market_fundamental_chunk";
  for (let b = 0; b < ids.length; b += QUERY_BATCH) {
    const batch = ids.slice(b, b + QUERY_BATCH);
    const rows = await queryBinary(
      pglite,
      `select s.ord::int4, c.chunk, c.data, m.chunk_version from unnest($1::uuid[]) with ordinality as s(id, ord) join ${name} c on c.symbol_id = s.id join market_symbol m on m.id = s.id`,
      [`{${batch.join(",")}}`],
    );
    for (const [ord, chunk, data, version] of rows) {
      const id = batch[readInt4(ord) - 1];
      versions.set(id, readInt4(version));
      let m = out.get(id);
      if (!m) out.set(id, (m = new Map()));
      m.set(readInt4(chunk), ownAligned(data ?? new Uint8Array(0)));
    }
  }
  return { blocks: out, versions };
}

async function query(db: DbOrTx, table: ChunkTable, ids: string[]): Promise<Fetched> {
  const client = (db as { $client?: unknown }).$client;
  if (!(db instanceof PgTransaction) && isPgliteLike(client)) return queryPglite(client, table, ids);
  const out = new Map<string, Map<number, Uint8Array>>();
  const versions = new Map<string, number>();
  for (let b = 0; b < ids.length; b += QUERY_BATCH) {
    const rows = await db
      .select({
        symbolId: table.symbolId,
        chunk: table.chunk,
        data: sql<string>`encode(${table.data}, 'base64')`,
        version: marketSymbols.chunkVersion,
      })
      .from(table)
      .innerJoin(marketSymbols, eq(marketSymbols.id, table.symbolId))
      .where(inArray(table.symbolId, ids.slice(b, b + QUERY_BATCH)));
    for (const r of rows) {
      versions.set(r.symbolId, r.version);
      let m = out.get(r.symbolId);
      if (!m) out.set(r.symbolId, (m = new Map()));
      m.set(r.chunk, Buffer.from(r.data, "base64"));
    }
  }
  return { blocks: out, versions };
}

/**
 * Every chunk of each symbol in `rows` from `table`, as `chunk number → packed bytes`
 * (a symbol without chunks maps to an empty map). Served from the cache where the row's
 * `chunkVersion` matches; the rest comes from the database in batches of {@link QUERY_BATCH}
 * symbols. `changed` lists the symbols whose chunks the database had at another version than
 * `rows` said (a rewrite came in between): their chunks are not cached, the caller reads again.
 */
export async function readChunks(
  db: DbOrTx,
  table: ChunkTable,
  rows: SymbolRow[],
): Promise<{ chunks: Map<string, Map<number, Uint8Array>>; changed: string[] }> {
  const useCache = !(db instanceof PgTransaction);
  const kind = table === marketBarChunks ? "b" : "f";
  const out = new Map<string, Map<number, Uint8Array>>();
  const changed: string[] = [];
  const missing: SymbolRow[] = [];
  for (const r of rows) {
    const hit = useCache ? cacheGet<Map<number, Uint8Array>>(`${kind}|${r.id}`, String(r.chunkVersion)) : undefined;
    if (hit) out.set(r.id, hit);
    else missing.push(r);
  }
  const fetched = await query(
    db,
    table,
    missing.map((r) => r.id),
  );
  for (const r of missing) {
    const blocks = fetched.blocks.get(r.id) ?? new Map<number, Uint8Array>();
    out.set(r.id, blocks);
    const seen = fetched.versions.get(r.id);
    if (seen !== undefined && seen !== r.chunkVersion) changed.push(r.id);
    else if (useCache)
      cacheSet(
        `${kind}|${r.id}`,
        String(r.chunkVersion),
        blocks,
        [...blocks.values()].reduce((n, b) => n + b.byteLength, 0),
      );
  }
  return { chunks: out, changed };
}

function remember(c: NonNullable<G[typeof CACHE]>, key: string, entry: Entry): void {
  const old = c.entries.get(key);
  if (old) {
    c.bytes -= old.bytes;
    c.entries.delete(key);
  }
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
