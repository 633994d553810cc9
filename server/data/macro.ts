import "server-only";
/**
 * Stored macro series (FRED): saved whole by a hydration (`data hydrate --provider fred`), read by
 * runs of strategies that declare them in `macro`. Shared (workspace null) or a workspace's own;
 * a workspace's own row wins (./scope.ts).
 */
import { and, sql } from "drizzle-orm";
import { packColumns, unpackColumn } from "@/lib/data/pack";
import type { MacroSeries } from "@/lib/data/providers";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db";
import { macroSeries } from "@/server/db/schema";
import { ownRowsWin, visibleTo } from "./scope";
import { base64Param } from "./store";

/** Save (replace) one series in the scope `workspaceId` (null: shared). */
export async function saveMacroSeries(
  db: DbOrTx,
  series: MacroSeries,
  opts: { workspaceId: string | null; source: string },
): Promise<void> {
  const n = series.knownMs.length;
  const values = {
    workspaceId: opts.workspaceId,
    seriesId: series.id,
    source: opts.source,
    count: n,
    firstMs: n > 0 ? series.knownMs[0] : null,
    lastMs: n > 0 ? series.knownMs[n - 1] : null,
    data: base64Param(packColumns([series.knownMs, series.values])),
    updatedAt: new Date(),
  };
  await db
    .insert(macroSeries)
    .values(values)
    .onConflictDoUpdate({
      target: [macroSeries.workspaceId, macroSeries.seriesId],
      set: {
        source: values.source,
        count: values.count,
        firstMs: values.firstMs,
        lastMs: values.lastMs,
        data: values.data,
        updatedAt: values.updatedAt,
      },
    });
}

/**
 * The series `ids` the workspace sees, by id. NOT_FOUND naming the ones not stored, with the
 * command that loads them.
 */
export async function loadMacroSeries(
  db: DbOrTx,
  ids: string[],
  workspaceId: string | null,
): Promise<Record<string, MacroSeries>> {
  if (ids.length === 0) return {};
  const rows = await db
    .select({ workspaceId: macroSeries.workspaceId, seriesId: macroSeries.seriesId, data: macroSeries.data })
    .from(macroSeries)
    .where(
      and(
        sql`${macroSeries.seriesId} = any(${sql.param(ids)}::text[])`,
        visibleTo(macroSeries.workspaceId, workspaceId),
      ),
    );
  const best = ownRowsWin(rows, (r) => r.seriesId);
  const missing = ids.filter((id) => !best.has(id));
  if (missing.length > 0)
    throw new AppError(
      "NOT_FOUND",
      `The strategy reads macro series ${missing.join(", ")}, which this workspace has not loaded: run \`npm run lab -- data hydrate --provider fred --symbols ${missing.join(",")}\` (needs FRED_API_KEY).`,
    );
  return Object.fromEntries(
    ids.map((id) => {
      const data = best.get(id)!.data;
      return [id, { id, knownMs: unpackColumn([data], 2, 0), values: unpackColumn([data], 2, 1) }];
    }),
  );
}

/** The series the workspace sees, for listing: id, source, value count, first/last publication day. */
export async function listMacroSeries(db: DbOrTx, workspaceId: string | null) {
  const rows = await db
    .select({
      workspaceId: macroSeries.workspaceId,
      seriesId: macroSeries.seriesId,
      source: macroSeries.source,
      count: macroSeries.count,
      firstMs: macroSeries.firstMs,
      lastMs: macroSeries.lastMs,
    })
    .from(macroSeries)
    .where(visibleTo(macroSeries.workspaceId, workspaceId));
  return [...ownRowsWin(rows, (r) => r.seriesId).values()].toSorted((a, b) => a.seriesId.localeCompare(b.seriesId));
}

/** One series' outcome of {@link hydrateMacroSeries}. */
export interface MacroOutcome {
  symbol: string;
  status: "ok" | "no_data" | "error";
  /** Values stored (publication days). */
  bars: number;
  reason: string | null;
}

/**
 * Fetch and store each of `ids` from the macro source; a series that fails (unknown id, garbage,
 * the source's limit) is reported with the reason and the others still land. Each series is
 * written whole or not at all.
 */
export async function hydrateMacroSeries(
  db: DbOrTx,
  source: { name: string; fetchSeries(id: string): Promise<MacroSeries> },
  ids: string[],
  workspaceId: string | null,
): Promise<MacroOutcome[]> {
  const out: MacroOutcome[] = [];
  for (const id of ids) {
    try {
      const series = await source.fetchSeries(id);
      if (series.values.length === 0) {
        out.push({ symbol: id, status: "no_data", bars: 0, reason: 'every observation is missing (".")' });
        continue;
      }
      await saveMacroSeries(db, series, { workspaceId, source: source.name });
      out.push({ symbol: id, status: "ok", bars: series.values.length, reason: null });
    } catch (err) {
      out.push({
        symbol: id,
        status: "error",
        bars: 0,
        reason: err instanceof Error ? err.message.slice(0, 500) : String(err),
      });
    }
  }
  return out;
}
