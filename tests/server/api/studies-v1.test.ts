/**
 * REST v1 studies: GET /api/v1/strategies/{id}/studies lists a strategy's optimize runs and
 * POST /api/v1/runs/{id}/resume continues one, through the route handlers, API-key auth and the
 * real queue (strategy code as trusted in-process code). Scopes are checked like every other
 * route; a missing, malformed or other workspace's id is 404 (never 200); a study that is still
 * running, or whose grid is exhausted, is 409; a bad body is 400 naming `trials`; a refused
 * request queues nothing. The OpenAPI document lists both routes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import * as resumeRoute from "@/app/api/v1/runs/[id]/resume/route";
import * as studiesRoute from "@/app/api/v1/strategies/[id]/studies/route";
import { setDatabaseForTests } from "@/server/db";
import { memberships, runs } from "@/server/db/schema";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { optimizeHandler } from "@/server/jobs/handlers/optimize";
import { cancelRun, startRun } from "@/server/services/runs";
import { createStrategy } from "@/server/services/strategies";
import { EXAMPLES } from "@/lib/sdk/examples";
import { callerFor, seedUser } from "@/tests/helpers/fixtures";
import { localRunner } from "@/tests/helpers/local-runner";
import { DRIVERS } from "../../helpers/test-db";
import { createHarness, waitForRun, type Harness } from "../jobs/harness";
import { apiRequest, idParams, keyFor } from "./rest-helpers";

interface StudyBody {
  run_id: string;
  status: string;
  method: string;
  objective: string;
  direction: string;
  n_trials: number;
  best_value: number | null;
  resume_of: string | null;
}
interface Res {
  n_trials: number;
  stop_reason: string;
  trials: Array<{ number: number; params: unknown; state: string; value?: number | null }>;
}

for (const driver of DRIVERS) {
  describe(`REST v1 studies: list and resume (${driver})`, () => {
    let h: Harness;
    let symbol = "";
    let keys: Record<"read" | "run" | "both" | "foreign", string>;
    const runCount = async () => (await h.db.select({ id: runs.id }).from(runs)).length;
    const list = (strategyId: string, key: string) =>
      studiesRoute.GET(apiRequest("GET", `/api/v1/strategies/${strategyId}/studies`, key), idParams(strategyId));
    const resume = (runId: string, key: string, body: unknown) =>
      resumeRoute.POST(apiRequest("POST", `/api/v1/runs/${runId}/resume`, key, body), idParams(runId));
    const study = (extra: Record<string, unknown> = {}) =>
      startRun(h.db, h.caller("member"), {
        kind: "optimize",
        strategyId: h.strategyId,
        symbols: [symbol],
        params: {},
        priority: "interactive",
        study: {
          method: "tpe",
          trials: 6,
          seed: 5,
          ranges: { fast: { min: 3, max: 20 }, slow: { min: 10, max: 60 } },
          constraints: ["fast < slow"],
          holdout: 0.25,
          choices: {},
          objectives: [{ metric: "sharpe", direction: "maximize" }],
          pruner: "none",
          ...extra,
        } as never,
      });

    beforeAll(async () => {
      h = await createHarness(driver);
      setDatabaseForTests(h.handle);
      await ensureDemoUniverse(h.db, { symbols: 3, years: 2 });
      symbol = (await getUniverseSymbols(h.db, "demo-3"))[0];
      await h.startWorkers({
        concurrency: 2,
        handlers: { optimize: optimizeHandler(localRunner) },
        optimizeRunner: localRunner,
      });
      const owner = h.ws.users.owner.id;
      keys = {
        read: (await keyFor(h.db, owner, h.ws.workspaceId, ["read"])).key,
        run: (await keyFor(h.db, owner, h.ws.workspaceId, ["run"])).key,
        both: (await keyFor(h.db, owner, h.ws.workspaceId, ["read", "run"])).key,
        foreign: (await keyFor(h.db, h.ws.outsider.id, h.ws.otherWorkspaceId, ["read", "run"])).key,
      };
    });
    afterAll(async () => h?.close());

    it("lists a strategy's studies; resumes a finished one with more trials (202), which then lists as resumed", async () => {
      const { runId } = await study();
      const first = await waitForRun(h.db, h.ws.workspaceId, runId, 60_000);
      expect(first.status, first.error ?? "").toBe("succeeded");
      const a = first.result as unknown as Res;

      const res = await list(h.strategyId, keys.read);
      expect(res.status).toBe(200);
      const { data } = (await res.json()) as { data: StudyBody[] };
      const row = data.find((s) => s.run_id === runId);
      const bestA = Math.max(...a.trials.filter((t) => t.state === "complete").map((t) => t.value ?? -Infinity));
      expect(row).toMatchObject({
        status: "succeeded",
        method: "tpe",
        objective: "sharpe",
        direction: "maximize",
        n_trials: 6,
        resume_of: null,
      });
      expect(row?.best_value).toBeCloseTo(bestA, 12);

      const r = await resume(runId, keys.run, { trials: 3 });
      expect(r.status, JSON.stringify(await r.clone().json())).toBe(202);
      const { run_id, resume_of } = (await r.json()) as { run_id: string; resume_of: string };
      expect(resume_of).toBe(runId);
      const second = await waitForRun(h.db, h.ws.workspaceId, run_id, 60_000);
      expect(second.status, second.error ?? "").toBe("succeeded");
      const b = second.result as unknown as Res;
      expect(b.n_trials).toBe(9);
      expect(b.trials.slice(0, 6).map((t) => [t.number, t.params, t.value])).toEqual(
        a.trials.map((t) => [t.number, t.params, t.value]),
      );
      const after = (await (await list(h.strategyId, keys.both)).json()) as { data: StudyBody[] };
      expect(after.data[0]).toMatchObject({ run_id, resume_of: runId, n_trials: 9, status: "succeeded" });
    }, 150_000);

    it("404 for a missing, malformed or other workspace's id; scopes as for other routes (403)", async () => {
      const { runId } = await study({ trials: 2 });
      await waitForRun(h.db, h.ws.workspaceId, runId, 60_000);
      const missing = "00000000-0000-4000-8000-000000000000";
      const { strategy: theirs } = await createStrategy(
        h.db,
        {
          actor: { type: "user", id: h.ws.outsider.id, label: "outsider" },
          workspaceId: h.ws.otherWorkspaceId,
          role: "owner",
        },
        { code: EXAMPLES["sma-cross"].source },
      );
      const before = await runCount();
      for (const [id, key] of [
        [missing, keys.read],
        ["not-a-uuid", keys.read],
        [theirs.id, keys.read],
        [h.strategyId, keys.foreign],
      ] as const) {
        const res = await list(id, key);
        expect(res.status, `list ${id}`).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
      }
      for (const [id, key] of [
        [missing, keys.run],
        ["not-a-uuid", keys.run],
        [runId, keys.foreign],
      ] as const) {
        const res = await resume(id, key, { trials: 2 });
        expect(res.status, `resume ${id}`).toBe(404);
      }
      // a backtest run is not a study
      const bt = await startRun(h.db, h.caller("member"), {
        kind: "backtest",
        strategyId: h.strategyId,
        symbols: [symbol],
        params: {},
        priority: "interactive",
      });
      await waitForRun(h.db, h.ws.workspaceId, bt.runId, 60_000);
      expect((await resume(bt.runId, keys.run, { trials: 2 })).status).toBe(404);
      // scopes: listing needs read, resuming needs run
      expect((await list(h.strategyId, keys.run)).status).toBe(403);
      expect((await resume(runId, keys.read, { trials: 2 })).status).toBe(403);
      // no key at all
      const anon = await studiesRoute.GET(
        apiRequest("GET", `/api/v1/strategies/${h.strategyId}/studies`),
        idParams(h.strategyId),
      );
      expect(anon.status).toBe(401);
      expect(await runCount(), "nothing queued").toBe(before + 1);
    }, 120_000);

    it("a key acts for its creator's current role: demoted to viewer, it still lists but may not resume", async () => {
      const { runId } = await study({ trials: 2 });
      await waitForRun(h.db, h.ws.workspaceId, runId, 60_000);
      const creator = await seedUser(h.db, "studies-key");
      await h.db.insert(memberships).values({ workspaceId: h.ws.workspaceId, userId: creator.id, role: "member" });
      const { key } = await keyFor(h.db, creator.id, h.ws.workspaceId, ["read", "run"]);
      await callerFor(h.db, h.ws.users.owner).members.updateRole({
        workspaceId: h.ws.workspaceId,
        userId: creator.id,
        role: "viewer",
      });
      const before = await runCount();
      expect((await list(h.strategyId, key)).status).toBe(200);
      const res = await resume(runId, key, { trials: 2 });
      expect(res.status).toBe(403);
      expect(await runCount(), "nothing queued").toBe(before);
    }, 120_000);

    it("409 for a running study and for an exhausted grid; 400 naming trials for a bad body; nothing queued", async () => {
      const running = await study({ method: "random", trials: 100000, timeout: 60 });
      await waitForRun(h.db, h.ws.workspaceId, running.runId, 60_000, (r) => r.status === "running");
      const before = await runCount();
      const busy = await resume(running.runId, keys.run, { trials: 2 });
      expect(busy.status).toBe(409);
      expect(((await busy.json()) as { error: { message: string } }).error.message).toMatch(/still running/);
      await cancelRun(h.db, h.caller("member"), running.runId);
      await waitForRun(h.db, h.ws.workspaceId, running.runId, 30_000);

      const grid = await study({
        method: "grid",
        trials: undefined,
        ranges: { fast: { min: 3, max: 5, step: 1 }, slow: { min: 10, max: 11, step: 1 } },
      });
      const g = await waitForRun(h.db, h.ws.workspaceId, grid.runId, 60_000);
      expect(g.status, g.error ?? "").toBe("succeeded");
      expect((g.result as unknown as Res).stop_reason).toBe("grid_exhausted");
      const exhausted = await resume(grid.runId, keys.run, { trials: 2 });
      expect(exhausted.status).toBe(409);
      expect(((await exhausted.json()) as { error: { message: string } }).error.message).toMatch(/grid/);

      const before2 = await runCount();
      for (const body of [{ trials: 0 }, { trials: 2.5 }, {}, { trials: 2, extra: 1 }]) {
        const res = await resume(g.id, keys.run, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/trials|extra/);
      }
      expect(await runCount(), "nothing queued").toBe(before2);
      expect(before2).toBe(before + 1); // only the grid study
    }, 150_000);

    it("the OpenAPI document lists both routes with their scopes", async () => {
      const doc = (await openapiRoute.GET(new Request("http://localhost/api/v1/openapi.json")).json()) as {
        paths: Record<string, Record<string, { description: string; responses: Record<string, unknown> }>>;
      };
      expect(doc.paths["/api/v1/strategies/{id}/studies"].get.description).toMatch(/`read` scope/);
      expect(doc.paths["/api/v1/runs/{id}/resume"].post.description).toMatch(/`run` scope/);
      expect(Object.keys(doc.paths["/api/v1/runs/{id}/resume"].post.responses)).toEqual(
        expect.arrayContaining(["202", "404", "409"]),
      );
    });
  });
}
