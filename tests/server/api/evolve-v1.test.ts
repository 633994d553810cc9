/**
 * Evolve runs over REST and the real queue: POST /api/v1/runs mode "evolve" queues a run whose
 * result has the CLI's shape; the same seed gives the same generations as the pure mode on the
 * same bars; promoted individuals of the last generation are filed as SHADOW strategies (state on
 * GET, a decision with inputs); bad evolve settings are 400 naming the field with nothing queued.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import * as runsRoute from "@/app/api/v1/runs/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as strategyRoute from "@/app/api/v1/strategies/[id]/route";
import { shadowGate } from "@/lib/lifecycle/gates";
import { runEvolve } from "@/lib/modes/evolve";
import { evolveSchema } from "@/lib/schemas/evolve";
import { setDatabaseForTests } from "@/server/db";
import { ensureDemoUniverse } from "@/server/data/demo";
import { lifecycleDecisions, runs, strategies } from "@/server/db/schema";
import { setWorkspaceGates } from "@/server/services/lifecycle";
import { evolveHandler } from "@/server/jobs/handlers/evolve";
import { forwardHandler } from "@/server/jobs/handlers/forward";
import { runForward } from "@/lib/modes/forward";
import { EXAMPLES } from "@/lib/sdk/examples";
import { getForwardTest } from "@/server/services/forward";
import { loadRunBars } from "@/server/jobs/bars";
import { localRunner } from "@/tests/helpers/local-runner";
import { createHarness, waitForRun, type Harness } from "../jobs/harness";
import { apiRequest, idParams, keyFor, noParams } from "./rest-helpers";

describe("REST v1 evolve runs (pglite)", () => {
  let h: Harness;
  let key: { id: string; key: string };
  let symbol = "";
  const start = (body: unknown) => runsRoute.POST(apiRequest("POST", "/api/v1/runs", key.key, body), noParams);
  const runCount = async () => (await h.db.select({ id: runs.id }).from(runs)).length;

  beforeAll(async () => {
    h = await createHarness("pglite");
    setDatabaseForTests(h.handle);
    await ensureDemoUniverse(h.db, { symbols: 3, years: 4 });
    const { getUniverseSymbols } = await import("@/server/data/scan");
    symbol = (await getUniverseSymbols(h.db, "demo-3"))[0];
    await h.startWorkers({
      concurrency: 1,
      handlers: { evolve: evolveHandler(localRunner), forward: forwardHandler(localRunner) },
    });
    key = await keyFor(h.db, h.ws.users.owner.id, h.ws.workspaceId, ["read", "run"]);
  }, 120_000);
  afterAll(async () => h?.close());

  it("runs an evolution end to end with the CLI's result shape, deterministic, and files promoted individuals in SHADOW", async () => {
    const evolve = { population: 8, generations: 3, seed: 6 };
    // The gate is judged on the 90-day candidate backtest (about 63 daily bars): the workspace
    // asks for 2 closed trades there instead of 10, through its own gate settings.
    const gates = await setWorkspaceGates(
      h.db,
      {
        actor: { type: "user", id: h.ws.users.owner.id, label: "owner" },
        workspaceId: h.ws.workspaceId,
        role: "owner",
      },
      { shadowMinTrades: 2 },
    );
    const res = await start({ strategy_id: h.strategyId, mode: "evolve", symbols: [symbol], evolve });
    expect(res.status).toBe(202);
    const { run_id } = await res.json();
    const done = await waitForRun(h.db, h.ws.workspaceId, run_id, 90_000);
    expect(done.status, done.error ?? "").toBe("succeeded");
    const body = await (
      await runRoute.GET(apiRequest("GET", `/api/v1/runs/${run_id}`, key.key), idParams(run_id))
    ).json();
    expect(body.mode).toBe("evolve");
    const r = body.result;
    expect(r.generations.map((g: { n: number }) => g.n)).toEqual([0, 1, 2]);
    for (const k of ["n_evaluated", "n_duplicates", "best"]) expect(r).toHaveProperty(k);
    expect(r.best.code).toContain("defineStrategy");

    // Same bars, same seed → the same generations as the pure mode.
    const data = await loadRunBars(h.db, h.ws.workspaceId, [symbol], {});
    const pure = await runEvolve(data.universe, evolveSchema.parse(evolve), gates);
    expect(
      r.generations.map((g: { individuals: { fitness: number }[] }) => g.individuals.map((x) => x.fitness)),
    ).toEqual(pure.generations.map((g) => g.individuals.map((x) => x.fitness)));

    // SHADOW individuals of the last generation that pass the gate on their candidate backtest
    // (at most three) are filed as SHADOW strategies, with the candidate backtest's figures.
    const last = pure.generations[2].individuals.filter(
      (x) =>
        x.state === "SHADOW" &&
        x.candidate !== null &&
        shadowGate(
          {
            profitFactor: x.candidate.profit_factor ?? (x.candidate.win_rate_pct === 100 ? Infinity : NaN),
            winRatePct: x.candidate.win_rate_pct ?? NaN,
            numTrades: x.candidate.num_trades,
          },
          gates,
        ).length === 0,
    );
    expect(last.length).toBeGreaterThan(0);
    expect(r.adopted.length).toBe(Math.min(3, last.length));
    for (const a of r.adopted as { individual: string; strategy_id: string }[]) {
      const s = await (
        await strategyRoute.GET(
          apiRequest("GET", `/api/v1/strategies/${a.strategy_id}`, key.key),
          idParams(a.strategy_id),
        )
      ).json();
      expect(s.state).toBe("SHADOW");
      const [d] = await h.db.select().from(lifecycleDecisions).where(eq(lifecycleDecisions.strategyId, a.strategy_id));
      expect(d).toMatchObject({ event: "start_shadow", fromState: "CANDIDATE", toState: "SHADOW" });
      expect(d.inputs).toHaveProperty("fitness");
      const [st] = await h.db.select().from(strategies).where(eq(strategies.id, a.strategy_id));
      const ind = last.find((x) => x.id === a.individual)!;
      expect(st.candidateMetrics?.num_trades).toBe(ind.candidate!.num_trades);
      expect(st.candidateMetrics?.num_trades).toBeLessThan(30);
      // Its forward test runs on the evolution's symbols from the newest bar on.
      expect(await getForwardTest(h.db, a.strategy_id)).toMatchObject({ symbols: [symbol], equity: [] });
    }
  }, 120_000);

  it("a forward run: from a stored SHADOW test (no new bars yet → 0 bars), or from a date, equal to the pure mode", async () => {
    const adopted = (await h.db.select({ id: lifecycleDecisions.strategyId }).from(lifecycleDecisions))[0]?.id;
    expect(adopted).toBeTruthy();
    const run = async (body: Record<string, unknown>) => {
      const res = await start({ mode: "forward", symbols: [symbol], ...body });
      expect(res.status).toBe(202);
      const { run_id } = await res.json();
      const done = await waitForRun(h.db, h.ws.workspaceId, run_id, 60_000);
      expect(done.status, done.error ?? "").toBe("succeeded");
      return (await (await runRoute.GET(apiRequest("GET", `/api/v1/runs/${run_id}`, key.key), idParams(run_id))).json())
        .result;
    };
    const stored = await run({ strategy_id: adopted });
    expect(stored).toMatchObject({ execution_mode: "forward", bars: 0, return_pct: 0 });
    const data = await loadRunBars(h.db, h.ws.workspaceId, [symbol], {});
    const ts = data.universe[0].timestampsMs;
    const from = new Date(ts[ts.length - 40]).toISOString().slice(0, 10);
    const dated = await run({ strategy_id: h.strategyId, from });
    const startMs = Date.parse(`${from}T00:00:00Z`) - 1;
    const pure = await runForward({
      source: EXAMPLES["sma-cross"].source,
      runner: localRunner,
      universe: data.universe,
      startMs,
      strategyId: h.strategyId,
      expectedLogReturnPerBar: null,
    });
    expect(dated.bars).toBe(40);
    expect(dated.equity).toEqual(pure.equity);
    expect(dated.return_pct).toBe(pure.return_pct);
    // No stored forward test and no `from`: the run fails saying what to give.
    const res = await start({ mode: "forward", symbols: [symbol], strategy_id: h.strategyId });
    const { run_id } = await res.json();
    const failed = await waitForRun(h.db, h.ws.workspaceId, run_id, 60_000);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("from");
  }, 120_000);

  it("bad evolve settings are 400 naming the field, nothing queued", async () => {
    const before = await runCount();
    for (const [evolve, field] of [
      [{ mutation_rate: 1.5 }, "mutation_rate"],
      [{ population: 1 }, "population"],
      [{ generations: 0 }, "generations"],
      [{ generations: 10_000 }, "generations"],
    ] as const) {
      const res = await start({ strategy_id: h.strategyId, mode: "evolve", symbols: [symbol], evolve });
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain(field);
    }
    const res = await start({ strategy_id: h.strategyId, mode: "backtest", symbols: [symbol], evolve: {} });
    expect(res.status).toBe(400);
    expect(await runCount()).toBe(before);
  });
});
