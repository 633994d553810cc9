import "server-only";
/**
 * Forward runs: the run's strategy version on the bars after `from` (or after the start of its
 * stored SHADOW forward test), through the sandbox and engine, against the stored expectation.
 */
import { commonCalendar } from "@/lib/modes/evolve";
import { runForward } from "@/lib/modes/forward";
import type { StrategyRunner } from "@/lib/modes/runner";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import { getForwardTest } from "@/server/services/forward";
import { loadRunBars } from "../bars";
import { PermanentRunError, type KindHandler } from "../run-context";
import { prepareRun } from "./common";

export function forwardHandler(runner: StrategyRunner = sandboxRunner): KindHandler<"forward"> {
  return async (ctx) => {
    const run = await prepareRun(ctx, "forward", runner);
    const stored = await getForwardTest(ctx.db, run.input.strategyId);
    const startMs = run.fromMs !== undefined ? run.fromMs - 1 : stored?.startBarMs;
    if (startMs === undefined)
      throw new PermanentRunError("This strategy has no forward test yet: give `from`, or start its SHADOW test.");
    await ctx.progress("loading data", 10, true);
    const data = await loadRunBars(ctx.db, ctx.run.workspaceId, run.symbols, { toMs: run.toMs, fundamentals: false });
    const universe = commonCalendar(data.universe);
    if (universe.length === 0 || universe[0].close.length < 2)
      throw new PermanentRunError("The run's symbols have no bars in common.");
    await ctx.checkpoint();
    await ctx.progress("forward test", 50, true);
    return runForward({
      source: run.source,
      runner,
      universe,
      startMs,
      strategyId: run.input.strategyId,
      expectedLogReturnPerBar: stored?.expectedLogReturnPerBar ?? null,
    });
  };
}
