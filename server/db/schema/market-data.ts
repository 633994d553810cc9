import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";

/** Raw bytes; drivers hand back Buffer (pg) or Uint8Array (PGlite), both are Uint8Array. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

/**
 * One instrument. `workspaceId` null = shared by everyone (demo universe, provider data);
 * otherwise a workspace's own import. The latest bar and fundamentals are copied here so a
 * universe scan with filters is one indexed query. `synthetic` marks generated demo data.
 */
export const marketSymbols = pgTable(
  "market_symbol",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id"),
    symbol: text("symbol").notNull(),
    name: text("name").notNull(),
    sector: text("sector"),
    /** demo | csv | yahoo | polygon | alpaca | ccxt | live */
    source: text("source").notNull(),
    synthetic: boolean("synthetic").notNull().default(false),
    barCount: integer("bar_count").notNull().default(0),
    /**
     * Bumped in the same transaction as every rewrite of the symbol's chunk rows (a save, a
     * compaction of its tail), never by an append: readers cache chunks keyed on it.
     */
    chunkVersion: integer("chunk_version").notNull().default(0),
    firstMs: doublePrecision("first_ms"),
    lastMs: doublePrecision("last_ms"),
    lastClose: doublePrecision("last_close"),
    lastVolume: doublePrecision("last_volume"),
    marketCap: doublePrecision("market_cap"),
    pe: doublePrecision("pe"),
    pb: doublePrecision("pb"),
    eps: doublePrecision("eps"),
    revenue: doublePrecision("revenue"),
    debtToEquity: doublePrecision("debt_to_equity"),
    meta: jsonb("meta").$type<Record<string, unknown>>(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("market_symbol_scope_uq").on(t.workspaceId, t.symbol).nullsNotDistinct(),
    index("market_symbol_symbol_idx").on(t.symbol),
    index("market_symbol_sector_idx").on(t.sector),
  ],
);

/**
 * Columnar bar store: one row holds up to BAR_CHUNK_SIZE consecutive bars of one symbol as a
 * packed little-endian Float64 block `[timestampsMs | open | high | low | close | volume]`
 * (6 × count values), so 500 symbols × 2,520 bars is 500 rows.
 */
export const marketBarChunks = pgTable(
  "market_bar_chunk",
  {
    symbolId: uuid("symbol_id")
      .notNull()
      .references(() => marketSymbols.id, { onDelete: "cascade" }),
    chunk: integer("chunk").notNull(),
    count: integer("count").notNull(),
    firstMs: doublePrecision("first_ms").notNull(),
    lastMs: doublePrecision("last_ms").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.symbolId, t.chunk] })],
);

/** Same layout for fundamentals: `[marketCap | pe | eps | revenue | pb | debtToEquity]`, aligned with the bar chunk of the same number. */
export const marketFundamentalChunks = pgTable(
  "market_fundamental_chunk",
  {
    symbolId: uuid("symbol_id")
      .notNull()
      .references(() => marketSymbols.id, { onDelete: "cascade" }),
    chunk: integer("chunk").notNull(),
    count: integer("count").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.symbolId, t.chunk] })],
);

/**
 * Recent bars appended after the chunks (the live feed): one narrow row per bar, so an append is
 * an insert and never rewrites a chunk. Every tail timestamp is later than the symbol's last
 * chunk bar; a compaction folds the tail into the chunks (and bumps `chunk_version`).
 * Fundamentals are null when the symbol has none.
 */
export const marketBarTail = pgTable(
  "market_bar_tail",
  {
    symbolId: uuid("symbol_id")
      .notNull()
      .references(() => marketSymbols.id, { onDelete: "cascade" }),
    tsMs: doublePrecision("ts_ms").notNull(),
    open: doublePrecision("open").notNull(),
    high: doublePrecision("high").notNull(),
    low: doublePrecision("low").notNull(),
    close: doublePrecision("close").notNull(),
    volume: doublePrecision("volume").notNull(),
    marketCap: doublePrecision("market_cap"),
    pe: doublePrecision("pe"),
    eps: doublePrecision("eps"),
    revenue: doublePrecision("revenue"),
    pb: doublePrecision("pb"),
    debtToEquity: doublePrecision("debt_to_equity"),
  },
  (t) => [primaryKey({ columns: [t.symbolId, t.tsMs] })],
);

/** Named symbol lists: built-in demo universes (workspace null) and user-defined or imported ones. */
export const marketUniverses = pgTable(
  "market_universe",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id"),
    name: text("name").notNull(),
    description: text("description"),
    symbols: text("symbols")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    synthetic: boolean("synthetic").notNull().default(false),
    /** How a generated universe was made (`{ seed, years, symbols }`), for idempotent re-runs. */
    params: jsonb("params").$type<Record<string, unknown>>(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("market_universe_scope_uq").on(t.workspaceId, t.name).nullsNotDistinct()],
);

export type MarketSymbol = typeof marketSymbols.$inferSelect;
export type MarketUniverse = typeof marketUniverses.$inferSelect;

/**
 * Macro series (FRED) that strategies read as extra inputs: the series as it was known over
 * time, `data` a packed little-endian Float64 block `[knownMs | values]` (2 × count values),
 * `knownMs` the day (00:00 UTC) each value was published. Shared (workspace null) or a workspace's own.
 */
export const macroSeries = pgTable(
  "macro_series",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id"),
    /** The source's id of the series (DGS10, UNRATE, …). */
    seriesId: text("series_id").notNull(),
    /** fred */
    source: text("source").notNull(),
    count: integer("count").notNull(),
    firstMs: doublePrecision("first_ms"),
    lastMs: doublePrecision("last_ms"),
    data: bytea("data").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("macro_series_scope_uq").on(t.workspaceId, t.seriesId).nullsNotDistinct()],
);
