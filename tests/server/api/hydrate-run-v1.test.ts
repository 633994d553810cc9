/**
 * The `hydrate` run kind through REST v1 on a real queue (pg-boss; PGlite and Postgres) with the
 * app's own workers: POST /api/v1/runs with mode "hydrate" → 202; the run drives a hydration whose
 * batches run on the `data-hydrate` queue, with a Polygon provider answering from an injected
 * fetch in the documented aggregates shape (no network); GET /api/v1/runs/{id} returns the
 * per-symbol outcomes. Bad input (unknown or unconfigured provider, empty or malformed symbols,
 * reversed range, a strategy on a data run) → 400 naming the field with no run, no hydration and
 * no job written. Cancelling the run stops its pending symbols.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runsRoute from "@/app/api/v1/runs/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as cancelRoute from "@/app/api/v1/runs/[id]/cancel/route";
import { setDatabaseForTests } from "@/server/db";
import { hydrations, hydrationSymbols, runs } from "@/server/db/schema";
import { createPolygonProvider, type MarketDataProvider } from "@/server/data/providers";
import { loadBars } from "@/server/data/store";
import { getUniverseSymbols } from "@/server/data/universes";
import { HYDRATE_QUEUE } from "@/server/jobs/queues";
import { DRIVERS } from "../../helpers/test-db";
import { createHarness, waitForRun, type Harness } from "../jobs/harness";
import { apiRequest, idParams, keyFor, noParams } from "./rest-helpers";

const DAY = 86_400_000;
const PROVIDERS = Symbol.for("strategy-lab.market-data-providers");
type G = typeof globalThis & { [PROVIDERS]?: MarketDataProvider[] };

/** Polygon aggregates: three daily bars from 2024-01-02 (16:00 New York); EMPTY none, JUNK an HTML page, SLOW* after 150 ms. */
async function fixtureFetch(url: string): Promise<Response> {
  const symbol = decodeURIComponent(/ticker\/([^/]+)\//.exec(url)?.[1] ?? "");
  if (symbol.startsWith("SLOW")) await new Promise((r) => setTimeout(r, 150));
  if (symbol === "JUNK") return new Response("<html>", { status: 200 });
  if (symbol === "EMPTY")
    return Response.json({
      ticker: symbol,
      queryCount: 0,
      resultsCount: 0,
      adjusted: false,
      status: "OK",
      request_id: "x",
    });
  const t0 = Date.UTC(2024, 0, 2, 21);
  const results = [0, 1, 2].map((i) => ({
    v: 100 + i,
    vw: 10,
    o: 10 + i,
    c: 10.5 + i,
    h: 11 + i,
    l: 9.5 + i,
    t: t0 + i * DAY,
    n: 5,
  }));
  return Response.json({
    ticker: symbol,
    queryCount: 3,
    resultsCount: 3,
    adjusted: false,
    results,
    status: "OK",
    request_id: "x",
    count: 3,
  });
}

describe.each(DRIVERS)("REST hydrate runs on %s", (driver) => {
  let h: Harness;
  let key: { id: string; key: string };
  const g = globalThis as G;
  const saved = g[PROVIDERS];
  const start = (body: unknown) => runsRoute.POST(apiRequest("POST", "/api/v1/runs", key.key, body), noParams);
  const hydrate = (over: Record<string, unknown> = {}) => ({
    mode: "hydrate",
    hydrate: {
      provider: "polygon",
      symbols: ["aaa", "BBB", "EMPTY", "JUNK"],
      from: "2024-01-01",
      to: "2024-03-01",
      universe: "api-hydrated",
      ...over,
    },
  });
  const counts = async () => ({
    runs: (await h.db.select({ id: runs.id }).from(runs)).length,
    hydrations: (await h.db.select({ id: hydrations.id }).from(hydrations)).length,
    jobs: Number(
      (
        (await h.db.execute(
          sql`select count(*)::int as n from pgboss.job where name = ${HYDRATE_QUEUE}`,
        )) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0].n,
    ),
  });

  beforeAll(async () => {
    g[PROVIDERS] = [
      createPolygonProvider({
        apiKey: "k",
        fetch: fixtureFetch,
        resilience: { maxAttempts: 1, bucketCapacity: 1000, refillPerSecond: 1000, cacheTtlMs: 0 },
      }),
    ];
    h = await createHarness(driver);
    setDatabaseForTests(h.handle);
    await h.startWorkers({ concurrency: 2 });
    key = await keyFor(h.db, h.ws.users.owner.id, h.ws.workspaceId, ["read", "run"]);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    g[PROVIDERS] = saved;
  });

  it("refuses bad input with 400 naming the field, and writes nothing", async () => {
    const cases: [unknown, RegExp][] = [
      [hydrate({ provider: "quandl" }), /hydrate\.provider.*Unknown provider "quandl"/],
      [
        hydrate({ provider: "alpaca" }),
        /hydrate\.provider.*"alpaca" is not configured: set ALPACA_KEY_ID and ALPACA_SECRET_KEY/,
      ],
      [hydrate({ symbols: [] }), /hydrate\.symbols/],
      [hydrate({ symbols: ["AAA", "bad symbol!"] }), /hydrate\.symbols/],
      [hydrate({ from: "2024-03-01", to: "2024-01-01" }), /hydrate\.from.*reversed/],
      [hydrate({ from: "2024-02-30" }), /hydrate\.from/],
      [hydrate({ symbols: undefined }), /hydrate\.symbols.*`all: true`/],
      [{ ...hydrate(), strategy_id: h.strategyId }, /strategy_id/],
      [{ mode: "hydrate" }, /hydrate/],
    ];
    for (const [body, message] of cases) {
      const res = await start(body);
      const json = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(json.error.message, JSON.stringify(body)).toMatch(message);
    }
    expect(await counts()).toEqual({ runs: 0, hydrations: 0, jobs: 0 });
  });

  it("hydrates through the queue and returns each symbol's outcome as the run's result", async () => {
    const res = await start(hydrate());
    expect(res.status).toBe(202);
    const { run_id } = await res.json();
    const done = await waitForRun(h.db, h.ws.workspaceId, run_id, 30_000);
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(done.progress).toMatchObject({ percent: 100 });
    const got = await runRoute.GET(apiRequest("GET", `/api/v1/runs/${run_id}`, key.key), idParams(run_id));
    expect(got.status).toBe(200);
    const body = await got.json();
    expect(body).toMatchObject({ mode: "hydrate", status: "succeeded" });
    expect(body.result).toMatchObject({
      provider: "polygon",
      universe: "api-hydrated",
      from: "2024-01-01",
      to: "2024-03-01",
      total: 4,
      ok: 2,
      noData: 1,
      error: 1,
      bars: 6,
    });
    expect(
      body.result.symbols.map((s: { symbol: string; status: string; bars: number }) => [s.symbol, s.status, s.bars]),
    ).toEqual([
      ["AAA", "ok", 3],
      ["BBB", "ok", 3],
      ["EMPTY", "no_data", 0],
      ["JUNK", "error", 0],
    ]);
    expect(body.result.symbols.find((s: { symbol: string }) => s.symbol === "JUNK").reason).toMatch(/polygon/i);
    expect(await getUniverseSymbols(h.db, "api-hydrated", h.ws.workspaceId)).toEqual(["AAA", "BBB"]);
    const [aaa] = await loadBars(h.db, ["AAA"], { workspaceId: h.ws.workspaceId });
    expect(Array.from(aaa.close)).toEqual([10.5, 11.5, 12.5]);
    const writes = await h.db
      .select({ writes: hydrationSymbols.writes })
      .from(hydrationSymbols)
      .where(eq(hydrationSymbols.hydrationId, body.result.hydrationId));
    expect(writes.map((w) => w.writes).sort()).toEqual([0, 0, 1, 1]);
  }, 60_000);

  it("flags stale hydrated data in backtest and screen results, and not when the run's window ends near the last bar", async () => {
    // api-hydrated (previous test) holds AAA and BBB up to Thursday 2024-01-04.
    const run = async (mode: string, to?: string) => {
      const res = await start({ mode, strategy_id: h.strategyId, universe: "api-hydrated", ...(to ? { to } : {}) });
      expect(res.status).toBe(202);
      const { run_id } = await res.json();
      const done = await waitForRun(h.db, h.ws.workspaceId, run_id, 60_000);
      expect(done.status, done.error ?? "").toBe("succeeded");
      const body = await (
        await runRoute.GET(apiRequest("GET", `/api/v1/runs/${run_id}`, key.key), idParams(run_id))
      ).json();
      return body.result as { stale?: { symbol: string; lastBar: string; tradingDaysBehind: number }[] };
    };
    // As of the day the run ran (years later): both symbols are stale.
    const backtest = await run("backtest");
    expect(backtest.stale?.map((s) => [s.symbol, s.lastBar])).toEqual([
      ["AAA", "2024-01-04"],
      ["BBB", "2024-01-04"],
    ]);
    expect(backtest.stale?.[0].tradingDaysBehind).toBeGreaterThan(5);
    // Window ending Friday 2024-01-12: Fri 5 … Fri 12 is six trading days after Thursday 4 → stale.
    const screen = await run("screen", "2024-01-12");
    expect(screen.stale).toEqual([
      { symbol: "AAA", lastBar: "2024-01-04", tradingDaysBehind: 6 },
      { symbol: "BBB", lastBar: "2024-01-04", tradingDaysBehind: 6 },
    ]);
    // Window ending Thursday 2024-01-11: five trading days behind → current, no flag.
    expect((await run("screen", "2024-01-11")).stale).toBeUndefined();
  }, 120_000);

  it("cancelling the run stops its pending symbols", async () => {
    const symbols = Array.from({ length: 60 }, (_, i) => `SLOW${i}`);
    const res = await start(hydrate({ symbols, universe: "slow-hydrated" }));
    expect(res.status).toBe(202);
    const { run_id } = await res.json();
    const running = await waitForRun(
      h.db,
      h.ws.workspaceId,
      run_id,
      30_000,
      (r) => r.status === "running" && r.progress.stage.startsWith("hydrating"),
    );
    // Progress: symbols done / total, bars written (3 per symbol), ETA once the pace is known.
    const m = /^hydrating (\d+)\/60 symbols, (\d+) bars written(, ETA \d+s)?$/.exec(running.progress.stage);
    expect(m, running.progress.stage).not.toBeNull();
    expect(Number(m![2])).toBe(3 * Number(m![1]));
    const cancel = await cancelRoute.POST(
      apiRequest("POST", `/api/v1/runs/${run_id}/cancel`, key.key),
      idParams(run_id),
    );
    expect(cancel.status).toBeLessThan(300);
    const done = await waitForRun(h.db, h.ws.workspaceId, run_id, 30_000);
    expect(done.status).toBe("cancelled");
    const [run] = await h.db.select().from(runs).where(eq(runs.id, run_id));
    const hydrationId = (run.input as { hydrationId: string }).hydrationId;
    await new Promise((r) => setTimeout(r, 1000));
    const rows = await h.db.select().from(hydrationSymbols).where(eq(hydrationSymbols.hydrationId, hydrationId));
    expect(rows.filter((r) => r.status === "pending")).toEqual([]);
    const stopped = rows.filter((r) => r.reason === "cancelled with its run");
    expect(stopped.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.status === "ok").length + stopped.length).toBe(60);
    const still = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(hydrationSymbols)
      .where(and(eq(hydrationSymbols.hydrationId, hydrationId), eq(hydrationSymbols.status, "ok")));
    await new Promise((r) => setTimeout(r, 800));
    const later = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(hydrationSymbols)
      .where(and(eq(hydrationSymbols.hydrationId, hydrationId), eq(hydrationSymbols.status, "ok")));
    expect(later[0].n, "no symbol is written after the cancel settled").toBe(still[0].n);
  }, 60_000);
});
