import "server-only";
/**
 * Optimize runs: a study over the strategy's params (lib/modes/optimize.ts) on the run's data.
 * Trials run in this worker; strategy code runs in the sandbox's child processes. Progress shows
 * the trial count, best-so-far and ETA; cancel is checked after every trial.
 */
import { DEFAULT_GRID_LIMIT, runOptimize } from "@/lib/modes/optimize";
import { sliceSeries, startIndexes } from "@/lib/modes/window";
import { SpaceError } from "@/lib/optimize/space";
import type { StrategyRunner } from "@/lib/modes/runner";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import { loadRunBars } from "../bars";
import { PermanentRunError, type KindHandler } from "../run-context";
import { prepareRun } from "./common";

export function optimizeHandler(
  runner: StrategyRunner = sandboxRunner,
  gridLimit = DEFAULT_GRID_LIMIT,
): KindHandler<"optimize"> {
  return async (ctx) => {
    const run = await prepareRun(ctx, "optimize", runner);
    const study = run.input.study;
    await ctx.checkpoint();
    await ctx.progress("loading data", 5, true);
    const data = await loadRunBars(ctx.db, ctx.run.workspaceId, run.symbols, {
      toMs: run.toMs,
      fundamentals: run.fundamentals || Boolean(study.subset),
    });
    const starts = startIndexes(data.universe, run.fromMs);
    const universe = data.universe.map((s, k) => sliceSeries(s, starts[k], s.close.length));
    await ctx.checkpoint();
    let cancelled = false;
    const started = Date.now();
    try {
      return await runOptimize({
        source: run.source,
        runner,
        universe,
        fundamentals: data.fundamentals,
        params: run.input.params,
        study,
        config: run.input.config,
        gridLimit,
        clock: { now: () => Date.now() },
        isCancelled: () => cancelled,
        // Trials of trusted in-process code never wait on I/O; give the event loop a turn.
        between: () => new Promise((resolve) => setImmediate(resolve)),
        onTrial: (p) => {
          const best = p.best_value === null ? "—" : p.best_value.toFixed(3);
          const of = p.expected_trials !== null ? `/${p.expected_trials}` : "";
          const pct =
            p.expected_trials !== null
              ? 10 + (85 * p.n_trials) / p.expected_trials
              : study.timeout
                ? 10 + (85 * (Date.now() - started)) / (study.timeout * 1000)
                : 50;
          void ctx.progress(
            `${p.stage === "search" ? "trial" : p.stage.replace("_", "-") + " trial"} ${p.n_trials}${of} · best ${study.objectives[0].metric} ${best}`,
            Math.min(95, pct),
          );
          ctx.checkpoint().catch(() => {
            cancelled = true;
          });
        },
      });
    } catch (err) {
      if (err instanceof SpaceError) throw new PermanentRunError(err.message);
      throw err;
    } finally {
      if (cancelled) await ctx.checkpoint();
    }
  };
}
