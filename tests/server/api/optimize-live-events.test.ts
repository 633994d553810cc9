/**
 * What the run page draws while a study runs comes from `/api/runs/:id/events` (the route the
 * browser's EventSource opens): read the real stream of a running study, merge each event's
 * trials as the page does (lib/optimize/live.ts) and check the figures grew while it ran and end
 * equal to the finished study's result — trial count, best value and trial, the best-so-far
 * line. A foreign workspace's id answers 404, not a stream.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as eventsRoute from "@/app/api/runs/[id]/events/route";
import { mergeLiveTrials, summarizeLiveStudy, type LiveTrial } from "@/lib/optimize/live";
import { setDatabaseForTests } from "@/server/db";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { optimizeHandler } from "@/server/jobs/handlers/optimize";
import { startRun } from "@/server/services/runs";
import { localRunner } from "@/tests/helpers/local-runner";
import { DRIVERS } from "../../helpers/test-db";
import { createHarness, type Harness } from "../jobs/harness";
import { apiRequest, idParams, keyFor, readEvents } from "./rest-helpers";

interface Res {
  n_trials: number;
  best: { number: number } | null;
  best_so_far: Array<number | null>;
  trials: Array<{ number: number; value?: number | null }>;
}

for (const driver of DRIVERS) {
  describe(`live trials of a running study over /api/runs/:id/events (${driver})`, () => {
    let h: Harness;
    let symbols: string[] = [];
    let key = "";
    let foreignKey = "";
    beforeAll(async () => {
      h = await createHarness(driver);
      setDatabaseForTests(h.handle);
      await ensureDemoUniverse(h.db, { symbols: 3, years: 4 });
      symbols = await getUniverseSymbols(h.db, "demo-3");
      await h.startWorkers({
        concurrency: 2,
        handlers: { optimize: optimizeHandler(localRunner) },
        optimizeRunner: localRunner,
      });
      key = (await keyFor(h.db, h.ws.users.owner.id, h.ws.workspaceId, ["read"])).key;
      foreignKey = (await keyFor(h.db, h.ws.outsider.id, h.ws.otherWorkspaceId, ["read"])).key;
    });
    afterAll(async () => h?.close());

    const events = (runId: string, k: string, workspaceId: string) =>
      eventsRoute.GET(apiRequest("GET", `/api/runs/${runId}/events?workspaceId=${workspaceId}`, k), idParams(runId));

    it("the page's figures grow with the events and end equal to the result", async () => {
      const { runId } = await startRun(h.db, h.caller(), {
        kind: "optimize",
        strategyId: h.strategyId,
        symbols,
        params: {},
        priority: "interactive",
        study: {
          method: "tpe",
          // enough trials to outlast a few 400 ms polls of the stream (the example's trials take ~3 ms)
          trials: 300,
          seed: 1,
          ranges: { fast: { min: 3, max: 30 }, slow: { min: 10, max: 90 } },
          constraints: ["fast < slow"],
          choices: {},
          holdout: 0.2,
          objectives: [{ metric: "sharpe", direction: "maximize" }],
          pruner: "none",
        } as never,
      });
      const res = await events(runId, key, h.ws.workspaceId);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
      const all = await readEvents(res);
      const known = new Map<number, LiveTrial>();
      const counts: number[] = [];
      let result: Res | null = null;
      for (const e of all) {
        const snap = e.data as { trials?: LiveTrial[]; result?: Res };
        if (snap.trials && mergeLiveTrials(known, snap.trials)) counts.push(known.size);
        if (e.event === "done") result = snap.result ?? null;
      }
      expect(all.at(-1)?.event).toBe("done");
      expect(result, "the done event carries the result").not.toBeNull();
      expect(counts.length, `trials arrived over several events: ${counts.join(", ")}`).toBeGreaterThanOrEqual(2);
      expect(counts.at(-1)).toBe(300);
      const live = summarizeLiveStudy(known.values(), { direction: "maximize", budget: 300, elapsedMs: 1 });
      expect(live.n).toBe(result!.n_trials);
      expect(live.best?.number).toBe(result!.best?.number);
      const bestValue = result!.trials.find((t) => t.number === result!.best?.number)?.value;
      expect(live.best?.value).toBe(bestValue);
      expect(live.history.map((p) => p.best)).toEqual(result!.best_so_far);
      expect(live.etaSeconds).toBe(0);
    }, 180_000);

    it("another workspace's key gets 404 (a JSON error, not a stream)", async () => {
      const { runId } = await startRun(h.db, h.caller(), {
        kind: "backtest",
        strategyId: h.strategyId,
        symbols: symbols.slice(0, 1),
        params: {},
        priority: "interactive",
      });
      const res = await events(runId, foreignKey, h.ws.otherWorkspaceId);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/json/);
    }, 60_000);
  });
}
