/**
 * REST v1 optimize runs through the real route handlers, queue and optimize handler (strategy code
 * as trusted in-process code): a study runs end to end and its best trial equals a standalone
 * backtest; bad studies answer 400/422 naming the field with nothing queued.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runsRoute from "@/app/api/v1/runs/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as cancelRoute from "@/app/api/v1/runs/[id]/cancel/route";
import { runBacktest } from "@/lib/modes/backtest";
import { EXAMPLES } from "@/lib/sdk/examples";
import { setDatabaseForTests } from "@/server/db";
import { ensureDemoUniverse } from "@/server/data/demo";
import { runs } from "@/server/db/schema";
import { optimizeHandler } from "@/server/jobs/handlers/optimize";
import { loadRunBars } from "@/server/jobs/bars";
import { localRunner } from "@/tests/helpers/local-runner";
import { callerFor } from "../../helpers/fixtures";
import { DRIVERS } from "../../helpers/test-db";
import { createHarness, waitForRun, type Harness } from "../jobs/harness";
import { apiRequest, idParams, keyFor, noParams } from "./rest-helpers";

for (const driver of DRIVERS) {
  describe(`REST v1 optimize runs (${driver})`, () => {
    let h: Harness;
    let key: { id: string; key: string };
    const runCount = async () => (await h.db.select({ id: runs.id }).from(runs)).length;
    const start = (body: unknown) => runsRoute.POST(apiRequest("POST", "/api/v1/runs", key.key, body), noParams);
    let symbol = "";
    const body = (study: Record<string, unknown>) => ({
      strategy_id: h.strategyId,
      mode: "optimize",
      symbols: [symbol],
      study,
    });

    beforeAll(async () => {
      h = await createHarness(driver);
      setDatabaseForTests(h.handle);
      await ensureDemoUniverse(h.db, { symbols: 3, years: 2 });
      const { getUniverseSymbols } = await import("@/server/data/scan");
      symbol = (await getUniverseSymbols(h.db, "demo-3"))[0];
      await h.startWorkers({
        concurrency: 2,
        handlers: { optimize: optimizeHandler(localRunner) },
        optimizeRunner: localRunner,
      });
      key = await keyFor(h.db, h.ws.users.owner.id, h.ws.workspaceId, ["read", "run"]);
    });
    afterAll(async () => h?.close());

    it("runs a study end to end; GET returns the result; the best trial equals a standalone backtest", async () => {
      const res = await start(
        body({
          method: "tpe",
          trials: 15,
          seed: 2,
          ranges: { fast: { min: 3, max: 20 }, slow: { min: 10, max: 60 } },
          constraints: ["fast < slow"],
          holdout: 0.25,
        }),
      );
      expect(res.status, JSON.stringify(await res.clone().json())).toBe(202);
      const { run_id } = await res.json();
      const run = await waitForRun(h.db, h.ws.workspaceId, run_id, 60_000);
      expect(run.status, run.error ?? "").toBe("succeeded");
      const got = await (
        await runRoute.GET(apiRequest("GET", `/api/v1/runs/${run_id}`, key.key), idParams(run_id))
      ).json();
      expect(got.mode).toBe("optimize");
      const r = got.result;
      expect(r.n_trials).toBe(15);
      expect(r.stop_reason).toBe("n_trials");
      expect(r.overfitting.n_trials).toBe(15);
      const data = await loadRunBars(h.db, h.ws.workspaceId, [symbol], {});
      const n = data.universe[0].close.length;
      const isEnd = n - Math.floor(n * 0.25);
      const bt = await runBacktest({
        source: EXAMPLES["sma-cross"].source,
        runner: localRunner,
        universe: data.universe,
        params: r.best.params,
        toMs: data.universe[0].timestampsMs[isEnd - 1],
        lookAhead: false,
      });
      expect(r.best.in_sample.metrics.sharpe).toBe(bt.performance_metrics.sharpe);
      expect(r.best.in_sample.metrics.total_return_pct).toBe(bt.performance_metrics.total_return_pct);
    }, 90_000);

    it("cancel stops a running study promptly; progress shows the trial count and best so far", async () => {
      const res = await start(
        body({
          method: "random",
          timeout: 120,
          trials: 100000,
          ranges: { fast: { min: 3, max: 20 }, slow: { min: 10, max: 60 } },
        }),
      );
      const { run_id } = await res.json();
      const running = await waitForRun(
        h.db,
        h.ws.workspaceId,
        run_id,
        60_000,
        (r) => r.status === "running" && /^trial \d+\/100000 · best sharpe/.test(r.progress?.stage ?? ""),
      );
      expect(running.progress?.stage).toMatch(/^trial \d+\/100000 · best sharpe (-?\d|—)/);
      const t0 = Date.now();
      const c = await cancelRoute.POST(apiRequest("POST", `/api/v1/runs/${run_id}/cancel`, key.key), idParams(run_id));
      expect(c.status).toBe(200);
      const ended = await waitForRun(h.db, h.ws.workspaceId, run_id, 30_000);
      expect(ended.status).toBe("cancelled");
      expect(Date.now() - t0).toBeLessThan(10_000);
    }, 90_000);

    it("tRPC runs.create takes the same study; a bad one is UNPROCESSABLE naming the field; viewers may not start one", async () => {
      const before = await runCount();
      const run = (study: Record<string, unknown>) => ({
        workspaceId: h.ws.workspaceId,
        run: {
          kind: "optimize" as const,
          strategyId: h.strategyId,
          symbols: [symbol],
          params: {},
          priority: "interactive" as const,
          study: study as never,
        },
      });
      const bad = callerFor(h.db, h.ws.users.member).runs.create(
        run({ method: "tpe", trials: 5, ranges: { fast: { min: 3, max: 30 } }, constraints: ["fast < nope"] }),
      );
      await expect(bad).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
      await expect(
        callerFor(h.db, h.ws.users.member).runs.create(
          run({ method: "tpe", trials: 5, ranges: { fast: { min: 3, max: 30 } }, constraints: ["fast < nope"] }),
        ),
      ).rejects.toThrow(/nope/);
      await expect(
        callerFor(h.db, h.ws.users.viewer).runs.create(run({ method: "tpe", trials: 5 })),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await runCount()).toBe(before);
      const { runId } = await callerFor(h.db, h.ws.users.member).runs.create(
        run({
          method: "random",
          trials: 6,
          seed: 1,
          ranges: { fast: { min: 3, max: 20 }, slow: { min: 10, max: 60 } },
          constraints: ["fast < slow"],
        }),
      );
      const done = await waitForRun(h.db, h.ws.workspaceId, runId, 60_000);
      expect(done.status, done.error ?? "").toBe("succeeded");
      expect((done.result as { n_trials: number }).n_trials).toBe(6);
    }, 90_000);

    it("refuses bad studies with 400/422 naming the field, and queues nothing", async () => {
      const before = await runCount();
      const cases: Array<[Record<string, unknown>, number, RegExp]> = [
        [{ method: "tpe", trials: 0 }, 400, /trials/],
        [{ method: "tpe", trials: 5, ranges: { fast: { min: 30, max: 5 } } }, 400, /min/],
        [{ method: "tpe", trials: 5, ranges: { fast: { min: 3, max: 30, step: 0 } } }, 400, /step/],
        [
          { method: "tpe", trials: 5, objectives: [{ metric: "bogus", direction: "maximize" }] },
          400,
          /objective|metric/i,
        ],
        [
          { method: "tpe", trials: 5, ranges: { fast: { min: 3, max: 30 } }, constraints: ["fast < nope"] },
          422,
          /nope/,
        ],
        [{ method: "tpe", trials: 5, ranges: { nope: { min: 1, max: 3 } } }, 422, /nope/],
        [
          {
            method: "grid",
            ranges: { fast: { min: 2, max: 200 }, slow: { min: 3, max: 400 } },
            choices: { short: [true, false] },
          },
          422,
          /over the limit of 100,000/,
        ],
      ];
      for (const [study, status, re] of cases) {
        const res = await start(body(study));
        const text = JSON.stringify(await res.json());
        expect(res.status, `${JSON.stringify(study)} → ${text}`).toBe(status);
        expect(text).toMatch(re);
      }
      const noStudy = await start({ strategy_id: h.strategyId, mode: "optimize", symbols: [symbol] });
      expect(noStudy.status).toBe(400);
      expect(JSON.stringify(await noStudy.json())).toMatch(/study/);
      const studyOnBacktest = await start({
        strategy_id: h.strategyId,
        mode: "backtest",
        symbols: [symbol],
        study: { trials: 5 },
      });
      expect(studyOnBacktest.status).toBe(400);
      expect(JSON.stringify(await studyOnBacktest.json())).toMatch(/only for mode/);
      expect(await runCount()).toBe(before);
    });
  });
}
