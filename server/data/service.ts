import "server-only";
/**
 * Workspace-facing market data flows (tRPC `data.*`, REST `/api/v1/data/*`): CSV import,
 * the symbols and universes a workspace can use, user-defined universes, and the data
 * quality report. Every write is audited in the transaction that makes it.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { CsvImportError, parseBarsCsv, type CsvProblem } from "@/lib/data/csv";
import { dataQualityReport, type QualityReport } from "@/lib/data/quality";
import { isDemoUniverseName } from "@/lib/data/universes";
import { AppError } from "@/lib/errors";
import { SYMBOL_PATTERN, SYMBOL_RULE } from "@/lib/schemas/ids";
import type { Db, DbOrTx } from "@/server/db";
import { marketSymbols, marketUniverses } from "@/server/db/schema";
import { recordAudit } from "@/server/services/audit";
import { visibleTo } from "./scope";
import { findSymbols, loadBars, saveSeries } from "./store";
import type { UniverseSummary } from "./universes";
import type { WorkspaceCaller } from "@/server/auth/access";
import { quoteInput } from "@/lib/schemas/text";

export { SYMBOL_PATTERN };
/** Largest CSV accepted, in characters (about 400k daily rows). */
export const MAX_CSV_CHARS = 20_000_000;
/** Name of the universe every CSV import of a workspace is added to. */
export const IMPORTED_UNIVERSE = "imported";
export const IMPORTED_DESCRIPTION = "Symbols this workspace imported (CSV files and providers)";

/** Result of an import: the stored range, or every problem by line (nothing written). */
export type ImportResult =
  | {
      ok: true;
      symbol: string;
      bars: number;
      firstMs: number;
      lastMs: number;
      warnings: string[];
      quality: QualityReport;
    }
  | { ok: false; symbol: string; problems: CsvProblem[] };

/** Normalise and check a ticker. Throws INVALID_INPUT naming it. */
export function normaliseSymbol(raw: string): string {
  const s = raw.trim().toUpperCase();
  if (!SYMBOL_PATTERN.test(s))
    throw new AppError("INVALID_INPUT", `${quoteInput(raw)} is not a valid symbol (${SYMBOL_RULE}).`);
  return s;
}

/**
 * Import one CSV file as the workspace's own `symbol` (it shadows a shared symbol of the same
 * name for this workspace). All or nothing: a file with any problem writes nothing.
 */
export async function importCsv(
  db: Db,
  caller: WorkspaceCaller,
  input: { symbol: string; csv: string; timezone?: string; noHeader?: boolean; fileName?: string },
): Promise<ImportResult> {
  const symbol = normaliseSymbol(input.symbol);
  if (input.csv.length > MAX_CSV_CHARS)
    throw new AppError("INVALID_INPUT", `The file is larger than ${MAX_CSV_CHARS / 1_000_000} MB of text; split it.`);
  let parsed: ReturnType<typeof parseBarsCsv>;
  try {
    parsed = parseBarsCsv(input.csv, { symbol, timezone: input.timezone, noHeader: input.noHeader });
  } catch (err) {
    if (err instanceof CsvImportError) return { ok: false, symbol, problems: err.problems };
    throw err;
  }
  const s = parsed.series;
  if (s.close.length === 0) return { ok: false, symbol, problems: [{ line: 1, message: "the file has no data rows" }] };
  const firstMs = s.timestampsMs[0],
    lastMs = s.timestampsMs[s.close.length - 1];
  await db.transaction(async (tx) => {
    await saveSeries(tx, s, {
      source: "csv",
      name: symbol,
      workspaceId: caller.workspaceId,
      meta: { file: input.fileName ?? null },
    });
    await addToUniverse(tx, caller.workspaceId, IMPORTED_UNIVERSE, IMPORTED_DESCRIPTION, symbol);
    await recordAudit(tx, {
      action: "data.imported",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "symbol", id: symbol },
      metadata: { bars: s.close.length, firstMs, lastMs, file: input.fileName ?? null },
    });
  });
  return {
    ok: true,
    symbol,
    bars: s.close.length,
    firstMs,
    lastMs,
    warnings: parsed.warnings,
    quality: dataQualityReport(s),
  };
}

/** Add `symbol` to the workspace universe `name` (created when missing), keeping the list sorted and unique. */
export async function addToUniverse(
  tx: DbOrTx,
  workspaceId: string,
  name: string,
  description: string,
  symbol: string,
): Promise<void> {
  await tx
    .insert(marketUniverses)
    .values({ workspaceId, name, description, symbols: [symbol] })
    .onConflictDoUpdate({
      target: [marketUniverses.workspaceId, marketUniverses.name],
      set: {
        symbols: sql`array(select distinct unnest(${marketUniverses.symbols} || excluded.symbols) order by 1)`,
        updatedAt: new Date(),
      },
    });
}

/** One symbol the workspace can use. Times are UTC ms. */
export interface SymbolSummary {
  symbol: string;
  name: string;
  sector: string | null;
  source: string;
  synthetic: boolean;
  /** true when the workspace imported it (it shadows a shared symbol of the same name). */
  own: boolean;
  bars: number;
  firstMs: number | null;
  lastMs: number | null;
  lastClose: number | null;
  /** When its bars were last written (import, hydration, refresh, appended bar), UTC ms. */
  lastWriteMs: number;
}

/** Every symbol visible to the workspace (its own imports first, then shared), by symbol. */
export async function listSymbols(db: DbOrTx, workspaceId: string): Promise<SymbolSummary[]> {
  const s = marketSymbols;
  const rows = await db
    .select({
      symbol: s.symbol,
      name: s.name,
      sector: s.sector,
      source: s.source,
      synthetic: s.synthetic,
      workspaceId: s.workspaceId,
      bars: s.barCount,
      firstMs: s.firstMs,
      lastMs: s.lastMs,
      lastClose: s.lastClose,
      updatedAt: s.updatedAt,
    })
    .from(s)
    .where(visibleTo(s.workspaceId, workspaceId))
    .orderBy(asc(s.symbol));
  const best = new Map<string, SymbolSummary>();
  for (const { workspaceId: w, updatedAt, ...r } of rows)
    if (!best.has(r.symbol) || w !== null)
      best.set(r.symbol, { ...r, own: w !== null, lastWriteMs: updatedAt.getTime() });
  return [...best.values()].sort((a, b) => Number(b.own) - Number(a.own) || (a.symbol < b.symbol ? -1 : 1));
}

/** A universe the workspace can use. */
/** Create or replace a user-defined universe. Every symbol must have data; reserved names are refused. */
export async function saveUniverse(
  db: Db,
  caller: WorkspaceCaller,
  input: { name: string; description?: string; symbols: string[] },
): Promise<UniverseSummary> {
  const name = input.name.trim();
  if (!/^[a-z0-9][a-z0-9._-]{0,47}$/.test(name))
    throw new AppError(
      "INVALID_INPUT",
      "Universe names use lower-case letters, digits and . _ - (up to 48 characters).",
    );
  if (isDemoUniverseName(name) || name === IMPORTED_UNIVERSE)
    throw new AppError("INVALID_INPUT", `"${name}" is a built-in universe name; choose another.`);
  const symbols = [...new Set(input.symbols.map(normaliseSymbol))].sort();
  if (symbols.length === 0) throw new AppError("INVALID_INPUT", "A universe needs at least one symbol.");
  await findSymbols(db, symbols, caller.workspaceId);
  const description = input.description?.trim() || null;
  await db.transaction(async (tx) => {
    await tx
      .insert(marketUniverses)
      .values({ workspaceId: caller.workspaceId, name, description, symbols })
      .onConflictDoUpdate({
        target: [marketUniverses.workspaceId, marketUniverses.name],
        set: { description, symbols, updatedAt: new Date() },
      });
    await recordAudit(tx, {
      action: "data.universe_saved",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "universe", id: name },
      metadata: { symbols: symbols.length },
    });
  });
  return { name, description, symbols, synthetic: false, own: true };
}

/** Delete one of the workspace's own universes. NOT_FOUND for shared or unknown names. */
export async function deleteUniverse(db: Db, caller: WorkspaceCaller, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(marketUniverses)
      .where(and(eq(marketUniverses.workspaceId, caller.workspaceId), eq(marketUniverses.name, name)))
      .returning({ name: marketUniverses.name });
    if (gone.length === 0)
      throw new AppError("NOT_FOUND", `Universe "${name}" is not one of this workspace's universes.`);
    await recordAudit(tx, {
      action: "data.universe_deleted",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "universe", id: name },
    });
  });
}

/** Delete one of the workspace's own imported symbols (the shared one of that name, if any, shows again). */
export async function deleteImportedSymbol(db: Db, caller: WorkspaceCaller, symbol: string): Promise<void> {
  const sym = normaliseSymbol(symbol);
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(marketSymbols)
      .where(and(eq(marketSymbols.workspaceId, caller.workspaceId), eq(marketSymbols.symbol, sym)))
      .returning({ id: marketSymbols.id });
    if (gone.length === 0) throw new AppError("NOT_FOUND", `${sym} is not one of this workspace's imported symbols.`);
    await tx
      .update(marketUniverses)
      .set({ symbols: sql`array_remove(${marketUniverses.symbols}, ${sym})`, updatedAt: new Date() })
      .where(and(eq(marketUniverses.workspaceId, caller.workspaceId), eq(marketUniverses.name, IMPORTED_UNIVERSE)));
    await recordAudit(tx, {
      action: "data.symbol_deleted",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "symbol", id: sym },
    });
  });
}

/** Data quality report of the series the workspace would use for `symbol` (optionally a date range). */
export async function symbolQuality(
  db: DbOrTx,
  workspaceId: string,
  symbol: string,
  range: { fromMs?: number; toMs?: number } = {},
): Promise<QualityReport & { synthetic: boolean }> {
  const sym = normaliseSymbol(symbol);
  const [row] = await findSymbols(db, [sym], workspaceId);
  const [series] = await loadBars(db, [sym], { ...range, workspaceId });
  return { ...dataQualityReport(series), synthetic: row.synthetic };
}
