import "server-only";
/**
 * The `hydrate` run: drives the hydration recorded with the run (server/data/hydrate.ts). Its
 * batches go on the `data-hydrate` queue that every worker process takes part in; this handler
 * watches the hydration's rows and reports symbols done / total, bars written and the ETA as the
 * run's progress, then stores the per-symbol outcomes as the run's result. A retried attempt
 * re-queues only the still-pending symbols (no symbol is written twice). Cancelling the run
 * settles the pending symbols as cancelled, so their queued batches find nothing to do.
 */
import { runInputOf } from "@/lib/schemas/runs";
import type { HydrateResult } from "@/lib/runs/hydrate";
import { cancelHydration, hydrationProgress, hydrationResults, queuePending } from "@/server/data/hydrate";
import { getBoss } from "../boss";
import { enqueueHydrateBatches } from "../hydrate";
import { RunCancelledError, type KindHandler, type RunContext } from "../run-context";

const POLL_MS = 400;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function hydrateHandler(pollMs = POLL_MS): KindHandler<"hydrate"> {
  return async (ctx: RunContext): Promise<HydrateResult> => {
    const { hydrationId } = runInputOf(ctx.run, "hydrate");
    try {
      await ctx.checkpoint();
      await queuePending(ctx.db, enqueueHydrateBatches(await getBoss()), hydrationId);
      for (;;) {
        const p = await hydrationProgress(ctx.db, hydrationId, Date.now());
        const eta = p.etaSeconds !== null && p.done < p.total ? `, ETA ${p.etaSeconds}s` : "";
        await ctx.progress(
          `hydrating ${p.done}/${p.total} symbols, ${p.bars} bars written${eta}`,
          p.total === 0 ? 100 : (p.done / p.total) * 100,
          p.done >= p.total,
        );
        if (p.done >= p.total) {
          const rows = await hydrationResults(ctx.db, hydrationId);
          return {
            hydrationId,
            provider: p.provider,
            universe: p.universe,
            from: day(p.fromMs),
            to: day(p.toMs),
            total: p.total,
            ok: p.ok,
            noData: p.noData,
            error: p.error,
            bars: p.bars,
            symbols: rows.map((r) => ({
              symbol: r.symbol,
              status: r.status as HydrateResult["symbols"][number]["status"],
              bars: r.bars,
              reason: r.reason,
            })),
          };
        }
        await ctx.checkpoint();
        await new Promise((r) => setTimeout(r, pollMs));
        await ctx.checkpoint();
      }
    } catch (err) {
      if (err instanceof RunCancelledError) await cancelHydration(ctx.db, hydrationId, "cancelled with its run");
      throw err;
    }
  };
}
