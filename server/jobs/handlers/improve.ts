import "server-only";
/**
 * Improve runs: the improvement loop (lib/improve) over the run's pinned strategy version. Each
 * accepted change is saved as a new immutable version (source "improved", with its parent
 * version, diff, prompt, model and token usage). Progress names the iteration and stage; the loop's
 * checkpoint is written to the run row after every iteration, so a retried attempt (worker
 * restart) resumes after the last finished iteration. Cancel is checked at every stage.
 */
import { and, eq } from "drizzle-orm";
import type { FundamentalSeries } from "@/lib/data/bars";
import { runImprove, type ImproveCheckpoint } from "@/lib/improve/loop";
import type { ImproveModel, Patch, RepairRequest } from "@/lib/improve/types";
import { env } from "@/lib/env";
import { consumeLimit, peekLimit, type LimitSpec } from "@/server/services/rate-limit";
import type { StrategyRunner } from "@/lib/modes/runner";
import { lowerBound, sliceSeries } from "@/lib/modes/window";
import { thresholdsOf } from "@/lib/schemas/improve";
import type { RunResult } from "@/lib/runs/kinds";
import { improveModelFor, improveStaticChecks } from "@/server/ai/improve-model";
import { effectiveCredentials } from "@/server/ai/workspace-keys";
import { runs } from "@/server/db/schema";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import { saveVersion } from "@/server/services/strategies";
import { loadRunBars } from "../bars";
import type { KindHandler, RunContext } from "../run-context";
import { prepareRun } from "./common";

/** What an unfinished improve run keeps in its result column between attempts. */
interface StoredCheckpoint {
  execution_mode: "improve";
  checkpoint: ImproveCheckpoint;
}

function storedCheckpoint(result: unknown): ImproveCheckpoint | undefined {
  const r = result as Partial<StoredCheckpoint> | null;
  return r && r.execution_mode === "improve" && r.checkpoint ? r.checkpoint : undefined;
}

/**
 * A hosted model spends the workspace's daily LLM token budget (LAB_LLM_TOKENS_PER_DAY): a call is
 * refused once it is used up (the iteration is rejected with that reason), and each call's tokens
 * are counted. The offline model is free.
 */
export function withTokenBudget(ctx: RunContext, model: ImproveModel): ImproveModel {
  if (model.id.startsWith("offline")) return model;
  const budget: LimitSpec = {
    points: env().LAB_LLM_TOKENS_PER_DAY,
    durationSeconds: 86_400,
    message: "This workspace has used its daily LLM token budget.",
  };
  const metered = async (call: () => Promise<Patch>): Promise<Patch> => {
    const spent = await peekLimit(ctx.db, "workspace-llm-tokens", ctx.run.workspaceId, budget);
    if (spent.consumed >= budget.points)
      throw new Error(
        `the workspace has used its daily budget of ${budget.points.toLocaleString("en-US")} LLM tokens (renews in ${Math.ceil(spent.resetSeconds / 60)} min)`,
      );
    const patch = await call();
    const tokens = (patch.usage?.inputTokens ?? 0) + (patch.usage?.outputTokens ?? 0);
    if (tokens > 0)
      await consumeLimit(ctx.db, "workspace-llm-tokens", ctx.run.workspaceId, budget, tokens).catch(() => undefined);
    return patch;
  };
  const repair = model.repair;
  return {
    id: model.id,
    propose: (req) => metered(() => model.propose(req)),
    ...(repair ? { repair: (req: RepairRequest) => metered(() => repair(req)) } : {}),
  };
}

export function improveHandler(runner: StrategyRunner = sandboxRunner): KindHandler<"improve"> {
  return async (ctx) => {
    const run = await prepareRun(ctx, "improve", runner);
    const s = run.input.improve;
    const model = withTokenBudget(
      ctx,
      improveModelFor(s.model, await effectiveCredentials(ctx.db, ctx.run.workspaceId), ctx.signal),
    );
    await ctx.checkpoint();
    await ctx.progress("loading data", 3, true);
    const data = await loadRunBars(ctx.db, ctx.run.workspaceId, run.symbols, {
      toMs: run.toMs,
      fundamentals: run.fundamentals,
    });
    // The loop's period starts at `from`: bars and fundamentals before it are dropped together.
    const starts = data.universe.map((x) => (run.fromMs === undefined ? 0 : lowerBound(x.timestampsMs, run.fromMs)));
    const universe = data.universe.map((x, k) => sliceSeries(x, starts[k], x.close.length));
    const fundamentals: Record<string, FundamentalSeries> = {};
    data.universe.forEach((x, k) => {
      const f = data.fundamentals[x.symbol];
      if (!f) return;
      const cut = (a: Float64Array) => a.subarray(starts[k]);
      fundamentals[x.symbol] = {
        ...f,
        marketCap: cut(f.marketCap),
        pe: cut(f.pe),
        eps: cut(f.eps),
        revenue: cut(f.revenue),
        pb: cut(f.pb),
        debtToEquity: cut(f.debtToEquity),
      };
    });
    await ctx.checkpoint();
    const resume = storedCheckpoint(ctx.run.result);
    const caller = {
      actor: { type: "system" as const, id: ctx.run.createdBy, label: `improve run ${ctx.run.id}` },
      workspaceId: ctx.run.workspaceId,
      role: null,
    };
    const total = s.iterations;
    return runImprove({
      source: run.source,
      params: run.input.params,
      universe,
      fundamentals,
      runner,
      config: run.input.config,
      model,
      checkSource: improveStaticChecks,
      thresholds: thresholdsOf(s),
      iterations: s.iterations,
      improvementThreshold: s.improvement_threshold,
      holdout: s.holdout,
      trialsPerIteration: s.trials_per_iteration,
      seed: s.seed,
      timeLimitMs: s.max_minutes * 60_000,
      baseVersion: String(run.input.version),
      resume,
      clock: { now: () => Date.now() },
      isCancelled: () => ctx.signal.aborted,
      onEvent: async (e) => {
        if (e.type === "stage") {
          const pct =
            5 +
            ((e.iteration -
              1 +
              (["market_regime", "diagnosis", "patch", "checks", "parameter_study", "validation", "decision"].indexOf(
                e.stage,
              ) +
                1) /
                7) /
              total) *
              88;
          await ctx.progress(
            `iteration ${e.iteration}/${total} · ${e.stage}${e.detail ? ` · ${e.detail}` : ""}`,
            pct,
            true,
          );
          await ctx.checkpoint();
        } else if (e.type === "holdout")
          await ctx.progress("holdout: backtesting the original and the best version", 95, true);
      },
      onCheckpoint: async (checkpoint) => {
        const stored: StoredCheckpoint = { execution_mode: "improve", checkpoint };
        await ctx.db
          .update(runs)
          .set({ result: stored as unknown as RunResult, updatedAt: new Date() })
          .where(and(eq(runs.id, ctx.run.id), eq(runs.attempts, ctx.run.attempts)));
      },
      saveVersion: async (v) => {
        const saved = await saveVersion(ctx.db, caller, {
          strategyId: run.input.strategyId,
          code: v.source,
          source: "improved",
          note: `Improve run, iteration ${v.iteration}: ${v.patch.summary}`,
          generation: {
            run_id: ctx.run.id,
            iteration: v.iteration,
            parent_version: v.parent === null ? null : Number(v.parent),
            diff: v.diff,
            prompt: v.prompt,
            model: v.model,
            usage: v.patch.usage ?? null,
            summary: v.patch.summary,
            rationale: v.patch.rationale,
            params: v.params,
          },
        });
        return String(saved.version);
      },
    });
  };
}
