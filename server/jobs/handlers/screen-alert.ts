import "server-only";
/**
 * Screen and alert runs: symbols are processed in chunks, so progress is real (chunks done /
 * chunks) and a cancel stops between chunks. Chunk results are merged exactly as one call over
 * the whole universe would rank them (same comparator, then the top N).
 */
import { runAlert, type Alert, type AlertResult, type SymbolSignal } from "@/lib/modes/alert";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import type { StrategyRunner } from "@/lib/modes/runner";
import { compareRows, runScreen, type ScreenResult, type ScreenRow } from "@/lib/modes/screen";
import { findSymbols } from "@/server/data/store";
import { loadRunBars } from "../bars";
import type { KindHandler, RunContext } from "../run-context";
import { chunk, prepareRun, withStale, type PreparedRun } from "./common";

const CHUNK_SYMBOLS = 100;
const TYPE_ORDER: Record<Alert["type"], number> = { entry: 0, short_entry: 1, exit: 2, short_exit: 3 };

async function forEachChunk<K extends "screen" | "alert", T>(
  ctx: RunContext,
  run: PreparedRun<K>,
  stage: string,
  fn: (bars: Awaited<ReturnType<typeof loadRunBars>>) => Promise<T>,
): Promise<T[]> {
  const parts = chunk(run.symbols, CHUNK_SYMBOLS);
  const out: T[] = [];
  for (let k = 0; k < parts.length; k++) {
    await ctx.checkpoint();
    await ctx.progress(
      `${stage} (${Math.min((k + 1) * CHUNK_SYMBOLS, run.symbols.length)}/${run.symbols.length} symbols)`,
      5 + (90 * k) / parts.length,
    );
    const data = await loadRunBars(ctx.db, ctx.run.workspaceId, parts[k], {
      toMs: run.toMs,
      fundamentals: run.fundamentals,
      macro: run.macro,
    });
    out.push(await fn(data));
  }
  await ctx.checkpoint();
  return out;
}

export function screenHandler(runner: StrategyRunner = sandboxRunner): KindHandler<"screen"> {
  return async (ctx) => {
    const run = await prepareRun(ctx, "screen", runner);
    const limit = run.input.limit ?? 50;
    const parts = await forEachChunk(ctx, run, "screening", async (data) => {
      // The sector of every row, also for strategies that do not load fundamentals.
      const found = await findSymbols(
        ctx.db,
        data.universe.map((s) => s.symbol),
        ctx.run.workspaceId,
      );
      const sectors = Object.fromEntries(found.map((r) => [r.symbol, r.sector]));
      return runScreen({
        source: run.source,
        universe: data.universe,
        fundamentals: data.fundamentals,
        macro: data.macro,
        sectors,
        params: run.input.params,
        strategyId: run.input.strategyId,
        runner,
        limit: CHUNK_SYMBOLS,
      });
    });
    return withStale(ctx, run, mergeScreens(parts, limit));
  };
}

/** One ScreenResult from chunk results: re-ranked with the mode's own comparator, top `limit`. */
export function mergeScreens(parts: ScreenResult[], limit: number): ScreenResult {
  const rows: ScreenRow[] = parts.flatMap((p) => p.ranked_results);
  rows.sort(compareRows);
  const first = parts[0];
  const asOf =
    parts
      .map((p) => p.as_of)
      .filter((x): x is string => x !== null)
      .sort()
      .pop() ?? null;
  return {
    ...first,
    ranked_results: rows.slice(0, limit).map((r, i) => ({ ...r, rank: i + 1 })),
    scores: Object.assign({}, ...parts.map((p) => p.scores)),
    universe_size: parts.reduce((n, p) => n + p.universe_size, 0),
    matches: parts.reduce((n, p) => n + p.matches, 0),
    as_of: asOf,
  };
}

export function alertRunHandler(runner: StrategyRunner = sandboxRunner): KindHandler<"alert"> {
  return async (ctx) => {
    const run = await prepareRun(ctx, "alert", runner);
    const parts = await forEachChunk(ctx, run, "evaluating", (data) =>
      runAlert({
        source: run.source,
        universe: data.universe,
        fundamentals: data.fundamentals,
        macro: data.macro,
        params: run.input.params,
        strategyId: run.input.strategyId,
        runner,
        newBars: run.input.newBars,
      }),
    );
    const alerts: Alert[] = parts.flatMap((p) => p.alerts);
    alerts.sort(
      (a, b) =>
        b.timestamp_ms - a.timestamp_ms || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || (a.symbol < b.symbol ? -1 : 1),
    );
    const signals: Record<string, SymbolSignal> = Object.assign({}, ...parts.map((p) => p.signals));
    const result: AlertResult = {
      ...parts[0],
      alerts,
      signals,
      symbols_monitored: parts.reduce((n, p) => n + p.symbols_monitored, 0),
    };
    return result;
  };
}
