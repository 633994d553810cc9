import "server-only";
/**
 * Evolve runs: breeds a population of rule plans (lib/modes/evolve.ts) over the run's symbols,
 * with the workspace's lifecycle gates. Progress names the generation; cancel is checked after
 * every generation. At the end, the fittest individuals of the last generation that passed the
 * SHADOW gate on the last window (at most three; an elite kept in SHADOW that no longer passes is
 * not filed) become strategies in SHADOW (services/lifecycle.ts).
 */
import { commonCalendar, runEvolve } from "@/lib/modes/evolve";
import type { StrategyRunner } from "@/lib/modes/runner";
import { lowerBound, sliceSeries } from "@/lib/modes/window";
import { genomeCode } from "@/lib/evolve";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import { adoptEvolved, workspaceGates } from "@/server/services/lifecycle";
import { loadRunBars } from "../bars";
import { PermanentRunError, type KindHandler } from "../run-context";
import { prepareRun } from "./common";

export function evolveHandler(runner: StrategyRunner = sandboxRunner): KindHandler<"evolve"> {
  return async (ctx) => {
    const run = await prepareRun(ctx, "evolve", runner);
    await ctx.progress("loading data", 3, true);
    const data = await loadRunBars(ctx.db, ctx.run.workspaceId, run.symbols, { toMs: run.toMs, fundamentals: false });
    const cut =
      run.fromMs === undefined
        ? data.universe
        : data.universe.map((x) => sliceSeries(x, lowerBound(x.timestampsMs, run.fromMs!), x.close.length));
    const universe = commonCalendar(cut);
    if (universe.length === 0 || universe[0].close.length < 2)
      throw new PermanentRunError("The run's symbols have no bars in common.");
    await ctx.checkpoint();
    const gates = await workspaceGates(ctx.db, ctx.run.workspaceId);
    const result = await runEvolve(universe, run.input.evolve, gates, {
      onGeneration: async (g, done, total) => {
        await ctx.progress(
          `generation ${g.n}: top fitness ${g.top_fitness.toFixed(1)}, ${g.promoted.length} promoted`,
          5 + (done / total) * 90,
          true,
        );
        await ctx.checkpoint();
      },
    });
    const last = result.generations[result.generations.length - 1];
    const promoted = last.individuals
      .filter((x) => x.state === "SHADOW" && x.candidate)
      .sort((a, b) => b.fitness - a.fitness)
      .map((x) => ({
        id: x.id,
        code: genomeCode(x.genome),
        fitness: x.fitness,
        // The gate was judged on the candidate backtest; the forward test expects its return.
        metrics: x.candidate!,
        bars: last.candidate_window.bars,
      }));
    const caller = {
      actor: { type: "system" as const, id: ctx.run.createdBy, label: `evolve run ${ctx.run.id}` },
      workspaceId: ctx.run.workspaceId,
      role: null,
    };
    result.adopted = await adoptEvolved(ctx.db, caller, promoted, {
      now: new Date(),
      runId: ctx.run.id,
      symbols: universe.map((x) => x.symbol),
    });
    return result;
  };
}
