/**
 * Studies per strategy and resuming a study, through tRPC, the real queue and the optimize handler
 * (strategy code as trusted in-process code): the strategy lists its optimize runs with method,
 * trial count, best value and status; a finished study resumed with more trials is a new run whose
 * first trials are the earlier ones (same numbers, params and values) and whose sampler and result
 * see all of them; a running study or another strategy's study cannot be resumed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { CHART_MAX_POINTS } from "@/lib/optimize/chart-sample";
import { setDatabaseForTests } from "@/server/db";
import { runs } from "@/server/db/schema";
import { watchRun } from "@/server/services/runs";
import { ensureDemoUniverse } from "@/server/data/demo";
import { optimizeHandler } from "@/server/jobs/handlers/optimize";
import { localRunner } from "@/tests/helpers/local-runner";
import { callerFor } from "../../helpers/fixtures";
import { DRIVERS } from "../../helpers/test-db";
import { createHarness, waitForRun, type Harness } from "../jobs/harness";

interface TrialJ {
  number: number;
  params: Record<string, unknown>;
  state: string;
  value: number | null;
}
interface Res {
  n_trials: number;
  trials: TrialJ[];
  best: { number: number } | null;
  best_so_far: Array<number | null>;
}

for (const driver of DRIVERS) {
  describe(`optimization studies per strategy, resume (${driver})`, () => {
    let h: Harness;
    let symbol = "";
    const member = () => callerFor(h.db, h.ws.users.member);
    const study = {
      method: "tpe" as const,
      trials: 8,
      seed: 3,
      ranges: { fast: { min: 3, max: 20 }, slow: { min: 10, max: 60 } },
      constraints: ["fast < slow"],
      holdout: 0.25,
    };
    const create = (s: Record<string, unknown>) =>
      member().runs.create({
        workspaceId: h.ws.workspaceId,
        run: {
          kind: "optimize",
          strategyId: h.strategyId,
          symbols: [symbol],
          params: {},
          priority: "interactive",
          study: s as never,
        },
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
    });
    afterAll(async () => h?.close());

    it("lists the strategy's studies and resumes a finished one with more trials", async () => {
      const { runId } = await create(study);
      const first = await waitForRun(h.db, h.ws.workspaceId, runId, 60_000);
      expect(first.status, first.error ?? "").toBe("succeeded");
      const a = first.result as unknown as Res;
      expect(a.n_trials).toBe(8);

      const listed = await member().runs.studies({ workspaceId: h.ws.workspaceId, strategyId: h.strategyId });
      const row = listed.find((s) => s.runId === runId)!;
      expect(row).toMatchObject({ status: "succeeded", method: "tpe", objective: "sharpe", nTrials: 8 });
      const bestA = Math.max(...a.trials.filter((t) => t.state === "complete").map((t) => t.value ?? -Infinity));
      expect(row.bestValue).toBeCloseTo(bestA, 12);

      const resumed = await member().runs.resumeStudy({ workspaceId: h.ws.workspaceId, runId, trials: 6 });
      const second = await waitForRun(h.db, h.ws.workspaceId, resumed.runId, 60_000);
      expect(second.status, second.error ?? "").toBe("succeeded");
      const b = second.result as unknown as Res;
      expect(b.n_trials).toBe(14);
      // The earlier trials are the resumed study's first trials, unchanged.
      expect(b.trials.slice(0, 8).map((t) => [t.number, t.params, t.value])).toEqual(
        a.trials.map((t) => [t.number, t.params, t.value]),
      );
      expect(b.trials.slice(8).map((t) => t.number)).toEqual([8, 9, 10, 11, 12, 13]);
      // TPE leaves its 10 random start-up trials at number 10, so trials 10..13 were sampled from
      // a model of all earlier trials; the best-so-far line runs over the whole study.
      expect(b.best_so_far.slice(0, 8)).toEqual(a.best_so_far);
      expect(b.best_so_far[13]!).toBeGreaterThanOrEqual(a.best_so_far[7]!);

      const after = await member().runs.studies({ workspaceId: h.ws.workspaceId, strategyId: h.strategyId });
      expect(after[0]).toMatchObject({ runId: resumed.runId, resumeOf: runId, nTrials: 14, status: "succeeded" });
      // another workspace's strategy (or none) answers NOT_FOUND, like a missing one — not an empty list
      await expect(
        callerFor(h.db, h.ws.outsider).runs.studies({
          workspaceId: h.ws.otherWorkspaceId,
          strategyId: h.strategyId,
        }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(
        member().runs.studies({ workspaceId: h.ws.workspaceId, strategyId: "00000000-0000-4000-8000-000000000000" }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
    }, 120_000);

    it("refuses to resume a running study, an unknown one, or with no trials", async () => {
      const { runId } = await create({ ...study, method: "random", trials: 100000, timeout: 60 });
      await waitForRun(h.db, h.ws.workspaceId, runId, 60_000, (r) => r.status === "running");
      await expect(member().runs.resumeStudy({ workspaceId: h.ws.workspaceId, runId, trials: 5 })).rejects.toThrow(
        /still running/,
      );
      await member().runs.cancel({ workspaceId: h.ws.workspaceId, runId });
      await waitForRun(h.db, h.ws.workspaceId, runId, 30_000);
      await expect(
        member().runs.resumeStudy({
          workspaceId: h.ws.workspaceId,
          runId: "00000000-0000-4000-8000-000000000000",
          trials: 5,
        }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(member().runs.resumeStudy({ workspaceId: h.ws.workspaceId, runId, trials: 0 })).rejects.toThrow(
        /trials/,
      );
      await expect(
        callerFor(h.db, h.ws.users.viewer).runs.resumeStudy({ workspaceId: h.ws.workspaceId, runId, trials: 5 }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }, 120_000);

    it("runs.get sends a 10,000-trial study's charts at most N trials; runs.optimizeTrials sends all", async () => {
      const { runId } = await create({ ...study, trials: 3 });
      const done = await waitForRun(h.db, h.ws.workspaceId, runId, 60_000);
      expect(done.status, done.error ?? "").toBe("succeeded");
      const base = done.result as unknown as Res & Record<string, unknown>;
      let best = -Infinity;
      const trials = Array.from({ length: 10_000 }, (_, i) => {
        const value = Math.sin(i * 0.37) + i / 5_000;
        return { number: i, params: { fast: 3 + (i % 17), slow: 30 }, state: "complete", value, metrics: null };
      });
      const bestSoFar = trials.map((t) => (best = Math.max(best, t.value)));
      const big = { ...base, n_trials: 10_000, trials, best_so_far: bestSoFar, best: null, pareto_front: null };
      await h.db
        .update(runs)
        .set({ result: big as never })
        .where(eq(runs.id, runId));
      const got = await member().runs.get({ workspaceId: h.ws.workspaceId, runId });
      const r = got.result as unknown as Res & { trials_sampled: { total: number; kept: number } };
      expect(r.trials.length).toBeLessThanOrEqual(CHART_MAX_POINTS);
      expect(r.trials_sampled.total).toBe(10_000);
      r.trials.forEach((t, k) => expect(r.best_so_far[k]).toBe(bestSoFar[t.number]));
      const all = await member().runs.optimizeTrials({ workspaceId: h.ws.workspaceId, runId });
      expect(all.length).toBe(10_000);
    }, 120_000);

    it("the workspace's grid limit refuses a larger grid with a message that states the limit", async () => {
      const owner = callerFor(h.db, h.ws.users.owner);
      const ws = { workspaceId: h.ws.workspaceId };
      expect(await member().workspaces.optimizeSettings(ws)).toEqual({ gridLimit: 100_000 });
      await expect(member().workspaces.setOptimizeSettings({ ...ws, gridLimit: 50 })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(owner.workspaces.setOptimizeSettings({ ...ws, gridLimit: 0 })).rejects.toThrow(/gridLimit/);
      await owner.workspaces.setOptimizeSettings({ ...ws, gridLimit: 50 });
      expect(await member().workspaces.optimizeSettings(ws)).toEqual({ gridLimit: 50 });
      const before = (await h.db.select({ id: runs.id }).from(runs)).length;
      const grid = (fastMax: number) => ({
        method: "grid",
        ranges: { fast: { min: 3, max: fastMax, step: 1 }, slow: { min: 30, max: 34, step: 1 } },
        holdout: 0.25,
      });
      // 10 × 5 = 50 points: allowed; 11 × 5 = 55: refused, naming the limit, nothing queued
      await expect(create(grid(13))).rejects.toThrow(/55 combinations, over the limit of 50/);
      expect((await h.db.select({ id: runs.id }).from(runs)).length).toBe(before);
      const { runId } = await create(grid(12));
      const done = await waitForRun(h.db, h.ws.workspaceId, runId, 60_000);
      expect(done.status, done.error ?? "").toBe("succeeded");
      expect((done.result as unknown as Res).n_trials).toBe(50);
      await owner.workspaces.setOptimizeSettings({ ...ws, gridLimit: null });
      expect(await member().workspaces.optimizeSettings(ws)).toEqual({ gridLimit: 100_000 });
    }, 120_000);

    it("watch events carry every finished trial once (number, params, state, value)", async () => {
      const { runId } = await create({ ...study, trials: 12, seed: 9 });
      const seen: Array<{ number: number; params: Record<string, unknown>; state: string; value: number | null }> = [];
      let final: Res | null = null;
      for await (const snap of watchRun(h.db, h.ws.workspaceId, runId, { includeResult: true, intervalMs: 50 })) {
        for (const t of snap.trials ?? []) seen.push(t);
        if (snap.result) final = snap.result as unknown as Res;
      }
      expect(final).not.toBeNull();
      expect(seen.map((t) => t.number).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
      for (const t of final!.trials) {
        const e = seen.find((x) => x.number === t.number)!;
        expect(e.params).toEqual(t.params);
        expect(e.state).toBe(t.state);
        expect(e.value).toBe(t.value);
      }
    }, 120_000);
  });
}
