import "server-only";
/** Market data for a run: the symbols of its universe (or its list) and their bars in the window. */
import type { BarSeries, FundamentalSeries } from "@/lib/data/bars";
import type { RunSpecOf, StrategyRunKind } from "@/lib/schemas/runs";
import type { DbOrTx } from "@/server/db";
import { waitForDemoUniverse, waitForDemoWrite, type DemoWaitOptions } from "@/server/data/demo-ready";
import { getUniverseSymbols } from "@/server/data/universes";
import { loadBars, loadFundamentals } from "@/server/data/store";
import { loadMacroSeries } from "@/server/data/macro";
import type { MacroSeries } from "@/lib/data/providers";

/** The data selection of a run's input (lib/schemas/runs.ts): a universe name or a symbol list. */
export type DataSelection = Pick<RunSpecOf<StrategyRunKind>, "universe" | "symbols">;

/**
 * The run's symbols. A built-in demo universe (or demo data in general, for a symbol list) that is
 * still being written (first start, maybe by another process) is waited for when `wait` is given,
 * by watching the database; `wait.onWait` reports that write's progress.
 */
export async function resolveSymbols(
  db: DbOrTx,
  workspaceId: string,
  sel: DataSelection,
  wait?: DemoWaitOptions,
): Promise<string[]> {
  if (sel.symbols && sel.symbols.length > 0) {
    if (wait) await waitForDemoWrite(db, wait);
    return sel.symbols;
  }
  if (sel.universe)
    return wait
      ? waitForDemoUniverse(db, sel.universe, workspaceId, wait)
      : getUniverseSymbols(db, sel.universe, workspaceId);
  return [];
}

export interface LoadedBars {
  universe: BarSeries[];
  fundamentals: Record<string, FundamentalSeries>;
  /** The macro series asked for, by id (NOT_FOUND names one not loaded). */
  macro: Record<string, MacroSeries>;
}

/**
 * Bars (and fundamentals when wanted) of `symbols` up to `toMs`. NOT_FOUND names unknown symbols.
 * Bars and fundamentals are two reads: a live-feed tick landing between them gives the
 * fundamentals bars the prices do not have yet, so they are cut to the prices' length (both
 * start at the same first bar).
 */
export async function loadRunBars(
  db: DbOrTx,
  workspaceId: string,
  symbols: string[],
  opts: { toMs?: number; fundamentals?: boolean; macro?: string[] },
): Promise<LoadedBars> {
  const load = { toMs: opts.toMs, workspaceId };
  const universe = await loadBars(db, symbols, load);
  const fundamentals: Record<string, FundamentalSeries> = {};
  if (opts.fundamentals) {
    const funds = await loadFundamentals(db, symbols, load);
    symbols.forEach((s, i) => {
      fundamentals[s] = cutTo(funds[i], universe[i].close.length);
    });
  }
  const macro = await loadMacroSeries(db, opts.macro ?? [], workspaceId);
  return { universe, fundamentals, macro };
}

function cutTo(f: FundamentalSeries, n: number): FundamentalSeries {
  if (f.pe.length <= n) return f;
  return {
    sector: f.sector,
    marketCap: f.marketCap.subarray(0, n),
    pe: f.pe.subarray(0, n),
    eps: f.eps.subarray(0, n),
    revenue: f.revenue.subarray(0, n),
    pb: f.pb.subarray(0, n),
    debtToEquity: f.debtToEquity.subarray(0, n),
  };
}

/** `YYYY-MM-DD` → UTC ms at 00:00 (from) or 23:59:59.999 (to). */
export function dayMs(date: string | undefined, end: boolean): number | undefined {
  if (!date) return undefined;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return end ? ms + 86_400_000 - 1 : ms;
}
