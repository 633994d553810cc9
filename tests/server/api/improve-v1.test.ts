/**
 * REST v1 improve runs through the real route handlers, queue and improve handler (strategy code as
 * trusted in-process code, the offline model): the loop runs end to end, GET returns the result,
 * accepted changes are new immutable versions (source improved, parent, diff, prompt, model);
 * bad input answers 4xx naming the field with nothing queued; another workspace's strategy is a
 * 404; cancel stops promptly; a second attempt resumes after the last finished iteration.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runsRoute from "@/app/api/v1/runs/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as cancelRoute from "@/app/api/v1/runs/[id]/cancel/route";
import type { ImproveResult } from "@/lib/improve/types";
import type { StrategyRunner } from "@/lib/modes/runner";
import { EXAMPLES } from "@/lib/sdk/examples";
import { setDatabaseForTests } from "@/server/db";
import { ensureDemoUniverse } from "@/server/data/demo";
import { runs } from "@/server/db/schema";
import { improveHandler, withTokenBudget } from "@/server/jobs/handlers/improve";
import { env } from "@/lib/env";
import { consumeLimit, peekLimit } from "@/server/services/rate-limit";
import type { RunContext } from "@/server/jobs/run-context";
import { createStrategy, listVersions } from "@/server/services/strategies";
import { startRun } from "@/server/services/runs";
import { localRunner } from "@/tests/helpers/local-runner";
import { seedWorkspace } from "../../helpers/fixtures";
import { DRIVERS } from "../../helpers/test-db";
import { createHarness, waitForRun, type Harness } from "../jobs/harness";
import { apiRequest, idParams, keyFor, noParams } from "./rest-helpers";

/** The trusted in-process runner, slowed down while `slow.on` so a run is still going when the test cancels it. */
const slow = { on: false };
const runner: StrategyRunner = {
  inspect: (s) => localRunner.inspect(s),
  signals: async (s, inputs, p) => {
    if (slow.on) await new Promise((r) => setTimeout(r, 50));
    return localRunner.signals(s, inputs, p);
  },
};

for (const driver of DRIVERS) {
  describe(`REST v1 improve runs (${driver})`, () => {
    let h: Harness;
    let key: { id: string; key: string };
    let symbols: string[] = [];
    const runCount = async () => (await h.db.select({ id: runs.id }).from(runs)).length;
    const start = (body: unknown) => runsRoute.POST(apiRequest("POST", "/api/v1/runs", key.key, body), noParams);
    const body = (improve: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      strategy_id: h.strategyId,
      mode: "improve",
      symbols,
      improve,
      ...extra,
    });

    beforeAll(async () => {
      h = await createHarness(driver);
      setDatabaseForTests(h.handle);
      await ensureDemoUniverse(h.db, { symbols: 3, years: 3 });
      const { getUniverseSymbols } = await import("@/server/data/scan");
      symbols = (await getUniverseSymbols(h.db, "demo-3")).slice(0, 2);
      await h.startWorkers({ concurrency: 2, handlers: { improve: improveHandler(runner) } });
      key = await keyFor(h.db, h.ws.users.owner.id, h.ws.workspaceId, ["read", "run"]);
    });
    afterAll(async () => h?.close());

    it("runs end to end; GET returns the result; accepted changes are new versions with parent, diff, prompt and model", async () => {
      const before = (await listVersions(h.db, h.ws.workspaceId, h.strategyId)).length;
      const res = await start(body({ iterations: 3, trials_per_iteration: 3, min_return: 5, seed: 1 }));
      expect(res.status, JSON.stringify(await res.clone().json())).toBe(202);
      const { run_id } = await res.json();
      const run = await waitForRun(h.db, h.ws.workspaceId, run_id, 120_000);
      expect(run.status, run.error ?? "").toBe("succeeded");
      const got = await (
        await runRoute.GET(apiRequest("GET", `/api/v1/runs/${run_id}`, key.key), idParams(run_id))
      ).json();
      expect(got.mode).toBe("improve");
      const r = got.result as ImproveResult;
      expect(r.status).toBe("not_met");
      expect(r.unmet_constraints.map((c) => c.name)).toContain("total_return");
      expect(r.iterations).toHaveLength(3);
      expect(r.overfitting.n_trials).toBeGreaterThan(3);
      const versions = await listVersions(h.db, h.ws.workspaceId, h.strategyId);
      const accepted = r.iterations.filter((i) => i.accepted);
      expect(versions.length - before, "one new version per accepted iteration").toBe(accepted.length);
      let parent = r.iterations[0].base_version;
      expect(parent).toBe(String(before));
      for (const it of r.iterations) {
        expect(it.base_version, "each iteration starts from the last accepted version").toBe(parent);
        if (!it.accepted) continue;
        const v = versions.find((x) => String(x.version) === it.version);
        expect(v?.source).toBe("improved");
        expect(v?.code).toBe(it.code);
        expect(v?.generation).toMatchObject({
          run_id,
          iteration: it.n,
          parent_version: Number(parent),
          diff: it.diff,
          model: "offline:template",
        });
        expect(String((v?.generation as { prompt?: string } | undefined)?.prompt)).toContain("Failing constraints");
        parent = it.version;
      }
    }, 180_000);

    it("refuses bad input with 4xx naming the field, queues nothing; another workspace's strategy is a 404", async () => {
      const before = await runCount();
      const cases: Array<[unknown, number, RegExp]> = [
        [body({ iterations: 0 }), 400, /iterations/],
        [body({ iterations: 21 }), 400, /iterations/],
        [body({ holdout: 1 }), 400, /holdout/],
        [body({ min_win_rate: 1.5 }), 400, /min_win_rate/],
        [body({ min_sortino: "high" }), 400, /min_sortino/],
        [body({ model: "nowhere:x" }), 422, /improve\.model|nowhere:x/],
        [{ strategy_id: h.strategyId, mode: "improve", symbols }, 400, /improve/],
        [{ strategy_id: h.strategyId, mode: "backtest", symbols, improve: {} }, 400, /only for mode/],
      ];
      for (const [b, status, re] of cases) {
        const res = await start(b);
        const text = JSON.stringify(await res.json());
        expect(res.status, `${JSON.stringify(b)} → ${text}`).toBe(status);
        expect(text).toMatch(re);
      }
      const other = await seedWorkspace(h.db);
      const { strategy } = await createStrategy(
        h.db,
        {
          actor: { type: "user", id: other.users.owner.id, label: other.users.owner.email },
          workspaceId: other.workspaceId,
          role: "owner",
        },
        { code: EXAMPLES["sma-cross"].source },
      );
      const foreign = await start({ ...body({}), strategy_id: strategy.id });
      expect(foreign.status).toBe(404);
      expect(await runCount()).toBe(before);
    }, 60_000);

    it("progress names the iteration and stage; cancel stops promptly", async () => {
      slow.on = true;
      const res = await start(body({ iterations: 20, trials_per_iteration: 30, min_return: 50 }));
      const { run_id } = await res.json();
      const running = await waitForRun(h.db, h.ws.workspaceId, run_id, 60_000, (r) =>
        /^iteration \d+\/20 · /.test(r.progress?.stage ?? ""),
      );
      expect(running.progress?.stage).toMatch(
        /^iteration \d+\/20 · (market_regime|diagnosis|patch|checks|parameter_study|validation|decision)/,
      );
      const t0 = Date.now();
      const c = await cancelRoute.POST(apiRequest("POST", `/api/v1/runs/${run_id}/cancel`, key.key), idParams(run_id));
      expect(c.status).toBe(200);
      const ended = await waitForRun(h.db, h.ws.workspaceId, run_id, 30_000);
      expect(ended.status).toBe("cancelled");
      expect(Date.now() - t0).toBeLessThan(10_000);
      slow.on = false;
    }, 90_000);

    it("a second attempt resumes after the last finished iteration (worker restart)", async () => {
      const spec = {
        kind: "improve" as const,
        strategyId: h.strategyId,
        symbols,
        params: {},
        priority: "batch" as const,
      };
      const { runId } = await startRun(
        h.db,
        h.caller("owner"),
        {
          ...spec,
          improve: {
            iterations: 1,
            trials_per_iteration: 3,
            min_return: 5,
            min_sortino: 2,
            min_trades: 0,
            min_win_rate: 0,
            improvement_threshold: 0.1,
            holdout: 0.2,
            model: "offline:template",
            max_minutes: 60,
            seed: 3,
          },
        },
        { origin: "system" },
      );
      await waitForRun(h.db, h.ws.workspaceId, runId, 120_000);
      const row = async () => (await h.db.select().from(runs).where(eq(runs.id, runId)))[0];
      const ctxFor = async (iterations: number, result: unknown): Promise<RunContext> => {
        const r = await row();
        const input = {
          ...(r.input as Record<string, unknown>),
          improve: { ...(r.input as { improve: object }).improve, iterations },
        };
        return {
          run: { ...r, input: input as typeof r.input, result: result as typeof r.result },
          db: h.db,
          signal: new AbortController().signal,
          progress: async () => {},
          checkpoint: async () => {},
        };
      };
      const first = (await row()).result as ImproveResult;
      expect(first.iterations).toHaveLength(1);
      // The first attempt's checkpoint after iteration 1, as the handler stores it on the run row.
      const stored = {
        execution_mode: "improve",
        checkpoint: {
          iterations: first.iterations,
          n_trials: first.overfitting.n_trials,
          trial_sharpes: [0, 0],
          shapes: {},
        },
      };
      const versionsBefore = (await listVersions(h.db, h.ws.workspaceId, h.strategyId)).length;
      const resumed = await improveHandler(localRunner)(await ctxFor(2, stored));
      expect(resumed.iterations).toHaveLength(2);
      expect(resumed.iterations[0], "iteration 1 is taken from the checkpoint, not re-run").toEqual(
        first.iterations[0],
      );
      expect(resumed.overfitting.n_trials).toBe(
        first.overfitting.n_trials + (resumed.iterations[1].study?.n_trials ?? 0),
      );
      const added = (await listVersions(h.db, h.ws.workspaceId, h.strategyId)).length - versionsBefore;
      expect(added).toBe(resumed.iterations[1].accepted ? 1 : 0);
    }, 180_000);

    it("a hosted model spends the workspace's daily token budget and is refused once it is used up", async () => {
      const ctx = { db: h.db, run: { workspaceId: h.ws.workspaceId } } as unknown as RunContext;
      const usage = { inputTokens: 100, outputTokens: 40 };
      const model = withTokenBudget(ctx, {
        id: "mock:x",
        propose: async () => ({ source: "x", summary: "s", rationale: "r", usage }),
      });
      const spec = { points: env().LAB_LLM_TOKENS_PER_DAY, durationSeconds: 86_400, message: "budget" };
      const before = (await peekLimit(h.db, "workspace-llm-tokens", h.ws.workspaceId, spec)).consumed;
      await model.propose({} as never);
      expect((await peekLimit(h.db, "workspace-llm-tokens", h.ws.workspaceId, spec)).consumed).toBe(before + 140);
      await consumeLimit(h.db, "workspace-llm-tokens", h.ws.workspaceId, spec, spec.points - before - 140).catch(
        () => undefined,
      );
      await expect(model.propose({} as never)).rejects.toThrow(/daily budget of [\d,]+ LLM tokens/);
    });
  });
}
