import "server-only";
/**
 * Export of stored bars (one symbol or a universe, CSV or Parquet) and import of a Parquet file
 * of bars — the file flows shared by the CLI (`lab data export|import`) and REST
 * (`GET /api/v1/data/universes/{name}/export`). The bytes are made in lib/data/bar-files.ts.
 * Import is all or nothing like the CSV import (service.ts): any problem writes nothing.
 */
import {
  barsToCsv,
  barsToParquet,
  ParquetImportError,
  parseBarsParquet,
  type BarFileFormat,
} from "@/lib/data/bar-files";
import { dataQualityReport } from "@/lib/data/quality";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db";
import { recordAudit } from "@/server/services/audit";
import type { WorkspaceCaller } from "@/server/auth/access";
import { addToUniverse, IMPORTED_DESCRIPTION, IMPORTED_UNIVERSE, normaliseSymbol, type ImportResult } from "./service";
import { PARQUET_DECOMPRESSORS } from "./parquet-codecs";
import { findSymbols, loadBars, saveSeries } from "./store";
import { getUniverseSymbols } from "./universes";
import { quoteInput } from "@/lib/schemas/text";

/** Largest Parquet file accepted, in bytes (about 400k bars, like the CSV limit). */
export const MAX_PARQUET_BYTES = 20_000_000;

export const BAR_FILE_FORMATS = ["csv", "parquet"] as const;

/** `format` checked; INVALID_INPUT naming the allowed values. */
export function barFileFormat(raw: string | null | undefined): BarFileFormat {
  if (raw === "csv" || raw === "parquet") return raw;
  throw new AppError("INVALID_INPUT", `format must be csv or parquet${raw ? ` (got "${raw}")` : ""}.`);
}

export interface BarExport {
  body: Uint8Array;
  contentType: string;
  fileName: string;
  symbols: number;
  bars: number;
}

/**
 * Bars of one symbol or every symbol of a universe as `workspaceId` sees them (null: shared
 * data only). A universe export carries a symbol column. NOT_FOUND for an unknown symbol or universe.
 */
export async function exportBars(
  db: DbOrTx,
  workspaceId: string | null,
  target: { symbol: string } | { universe: string },
  format: BarFileFormat,
): Promise<BarExport> {
  const isUniverse = "universe" in target;
  const symbols = isUniverse
    ? await getUniverseSymbols(db, target.universe, workspaceId)
    : [normaliseSymbol(target.symbol)];
  if (symbols.length === 0)
    throw new AppError("NOT_FOUND", `Universe ${quoteInput(isUniverse ? target.universe : "")} has no symbols.`);
  await findSymbols(db, symbols, workspaceId);
  const series = await loadBars(db, symbols, { workspaceId });
  const text = format === "csv" ? barsToCsv(series, { withSymbol: isUniverse }) : null;
  const body = text !== null ? new TextEncoder().encode(text) : barsToParquet(series, { withSymbol: isUniverse });
  const base = isUniverse ? target.universe : symbols[0];
  return {
    body,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.apache.parquet",
    fileName: `${base.replace(/[^A-Za-z0-9._-]/g, "_")}.${format}`,
    symbols: series.length,
    bars: series.reduce((n, s) => n + s.close.length, 0),
  };
}

/**
 * Import one Parquet file as the workspace's own `symbol` (shadowing a shared one of the name),
 * into its "imported" universe, audited. All or nothing: a file with any problem writes nothing.
 */
export async function importParquet(
  db: Db,
  caller: WorkspaceCaller,
  input: { symbol: string; bytes: Uint8Array; fileName?: string },
): Promise<ImportResult> {
  const symbol = normaliseSymbol(input.symbol);
  if (input.bytes.length > MAX_PARQUET_BYTES)
    throw new AppError("INVALID_INPUT", `The file is larger than ${MAX_PARQUET_BYTES / 1_000_000} MB; split it.`);
  let parsed: ReturnType<typeof parseBarsParquet>;
  try {
    parsed = parseBarsParquet(input.bytes, { symbol, decompressors: PARQUET_DECOMPRESSORS });
  } catch (err) {
    if (err instanceof ParquetImportError) return { ok: false, symbol, problems: err.problems };
    throw err;
  }
  const s = parsed.series;
  const firstMs = s.timestampsMs[0],
    lastMs = s.timestampsMs[s.close.length - 1];
  await db.transaction(async (tx) => {
    await saveSeries(tx, s, {
      source: "parquet",
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
      metadata: { bars: s.close.length, firstMs, lastMs, file: input.fileName ?? null, format: "parquet" },
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
