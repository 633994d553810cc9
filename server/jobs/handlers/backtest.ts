import "server-only";
/**
 * Backtest runs. The portfolio simulation needs every symbol at once, so progress is by stage and
 * cancellation is checked between stages; strategy code runs in the sandbox's child processes
 * (split across its pool for large universes), so the worker's event loop stays responsive.
 */
import { runBacktest } from "@/lib/modes/backtest";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import type { StrategyRunner } from "@/lib/modes/runner";
import { loadRunBars } from "../bars";
import type { KindHandler } from "../run-context";
import { prepareRun, withStale } from "./common";

export function backtestHandler(runner: StrategyRunner = sandboxRunner): KindHandler<"backtest"> {
  return async (ctx) => {
    const run = await prepareRun(ctx, "backtest", runner);
    await ctx.checkpoint();
    await ctx.progress("loading data", 10, true);
    const data = await loadRunBars(ctx.db, ctx.run.workspaceId, run.symbols, {
      toMs: run.toMs,
      fundamentals: run.fundamentals,
      macro: run.macro,
    });
    await ctx.checkpoint();
    await ctx.progress("running strategy and simulation", 30, true);
    const result = await runBacktest({
      source: run.source,
      universe: data.universe,
      fundamentals: data.fundamentals,
      macro: data.macro,
      params: run.input.params,
      strategyId: run.input.strategyId,
      runner,
      config: run.input.config,
      fromMs: run.fromMs,
      toMs: run.toMs,
    });
    await ctx.checkpoint();
    await ctx.progress("saving results", 95, true);
    return withStale(ctx, run, result);
  };
}
