import "server-only";
/**
 * Universe scan with filters on the latest bar and fundamentals (copied onto each symbol row
 * at save time, so the scan is one indexed query — no bars are decoded).
 */
import { and, asc, gte, inArray, lte, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db";
import { marketSymbols } from "@/server/db/schema";
import { ownRowsWin, visibleTo } from "./scope";
import { getUniverseSymbols } from "./universes";

/** Universes are read through ./universes.ts; re-exported for callers of the scan API. */
export { getUniverseSymbols };

/** Filters of {@link scanUniverse}; every bound is inclusive and optional. */
export interface ScanFilters {
  sectors?: string[];
  minPrice?: number;
  maxPrice?: number;
  minVolume?: number;
  minMarketCap?: number;
  maxMarketCap?: number;
  minPe?: number;
  maxPe?: number;
  maxDebtToEquity?: number;
  workspaceId?: string | null;
  limit?: number;
}

/** One scan hit: the symbol and its latest values. */
export interface ScanRow {
  symbol: string;
  name: string;
  sector: string | null;
  synthetic: boolean;
  lastMs: number | null;
  lastClose: number | null;
  lastVolume: number | null;
  marketCap: number | null;
  pe: number | null;
  pb: number | null;
  debtToEquity: number | null;
}

/** Symbols of a stored universe (a workspace's own universe shadows a shared one). Throws NOT_FOUND. */

/**
 * Symbols of `universe` (a stored universe name, or an explicit symbol list) that pass
 * `filters`, ordered by symbol.
 */
export async function scanUniverse(
  db: DbOrTx,
  universe: string | string[],
  filters: ScanFilters = {},
): Promise<ScanRow[]> {
  const symbols = typeof universe === "string" ? await getUniverseSymbols(db, universe, filters.workspaceId) : universe;
  if (symbols.length === 0) return [];
  const s = marketSymbols;
  const conds: (SQL | undefined)[] = [
    inArray(s.symbol, symbols),
    visibleTo(s.workspaceId, filters.workspaceId),
    filters.sectors?.length ? inArray(s.sector, filters.sectors) : undefined,
    filters.minPrice !== undefined ? gte(s.lastClose, filters.minPrice) : undefined,
    filters.maxPrice !== undefined ? lte(s.lastClose, filters.maxPrice) : undefined,
    filters.minVolume !== undefined ? gte(s.lastVolume, filters.minVolume) : undefined,
    filters.minMarketCap !== undefined ? gte(s.marketCap, filters.minMarketCap) : undefined,
    filters.maxMarketCap !== undefined ? lte(s.marketCap, filters.maxMarketCap) : undefined,
    filters.minPe !== undefined ? gte(s.pe, filters.minPe) : undefined,
    filters.maxPe !== undefined ? lte(s.pe, filters.maxPe) : undefined,
    filters.maxDebtToEquity !== undefined ? lte(s.debtToEquity, filters.maxDebtToEquity) : undefined,
  ];
  const rows = await db
    .select({
      symbol: s.symbol,
      name: s.name,
      sector: s.sector,
      synthetic: s.synthetic,
      lastMs: s.lastMs,
      lastClose: s.lastClose,
      lastVolume: s.lastVolume,
      marketCap: s.marketCap,
      pe: s.pe,
      pb: s.pb,
      debtToEquity: s.debtToEquity,
      workspaceId: s.workspaceId,
    })
    .from(s)
    .where(and(...conds))
    .orderBy(asc(s.symbol))
    .limit(filters.limit ?? 10_000);
  return [...ownRowsWin(rows, (r) => r.symbol).values()].map(({ workspaceId: _w, ...rest }) => rest);
}
