/**
 * Data hydration (server/data/hydrate.ts): bad input refused before anything is written; each
 * symbol settled exactly once even when two workers race on it; and, on a fresh Postgres with
 * two real worker processes (tests/server/jobs/hydrate-child.ts, fixture-shaped Polygon answers
 * from an injected fetch), 1,000 symbols through the queue with one worker SIGKILLed mid-way end
 * with every symbol settled and every ok symbol written exactly once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { hydrationSymbols, marketSymbols } from "@/server/db/schema";
import {
  createHydration,
  hydrateBatch,
  hydrationProgress,
  hydrationResults,
  queuePending,
  refreshHydratedUniverses,
  type HydrateBatchJob,
} from "@/server/data/hydrate";
import { createPolygonProvider } from "@/server/data/providers";
import { loadBars } from "@/server/data/store";
import { getUniverseSymbols } from "@/server/data/universes";
import { enqueueHydrateBatches } from "@/server/jobs/hydrate";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace } from "../../helpers/fixtures";
import { createHarness, type Harness } from "./harness";

const DAY = 86_400_000;
const FROM = Date.UTC(2024, 0, 1),
  TO = Date.UTC(2024, 2, 1);

function fixtureFetch(calls: string[]) {
  return async (url: string) => {
    const symbol = decodeURIComponent(/ticker\/([^/]+)\//.exec(url)?.[1] ?? "");
    calls.push(symbol);
    if (symbol === "JUNK") return new Response("<html>", { status: 200 });
    if (symbol === "LIMITED")
      return new Response(JSON.stringify({ status: "ERROR", error: "rate limited" }), {
        status: 429,
        headers: { "retry-after": "3600" },
      });
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
  };
}

describe("hydration on PGlite (in process)", () => {
  let t: TestDatabase;
  afterAll(async () => t?.close());

  it("refuses bad input naming it, settles ok / no_data / error with reasons, and writes a symbol once when two workers race", async () => {
    t = await createTestDatabase("pglite");
    const ws = await seedWorkspace(t.db);
    const calls: string[] = [];
    const providers = [
      createPolygonProvider({
        apiKey: "k",
        fetch: fixtureFetch(calls),
        resilience: {
          maxAttempts: 2,
          baseDelayMs: 1,
          maxDelayMs: 2,
          maxRetryAfterMs: 10,
          ratePerMinute: 6_000,
          cacheTtlMs: 0,
        },
      }),
    ];
    const queued: HydrateBatchJob[] = [];
    const enqueue = async (jobs: HydrateBatchJob[]) => void queued.push(...jobs);
    const base = { workspaceId: ws.workspaceId, provider: "polygon", symbols: ["AAA"], fromMs: FROM, toMs: TO };
    await expect(createHydration(t.db, enqueue, providers, { ...base, provider: "alpaca" })).rejects.toThrow(
      /"alpaca" is not configured: set ALPACA_KEY_ID and ALPACA_SECRET_KEY/,
    );
    await expect(createHydration(t.db, enqueue, providers, { ...base, provider: "quandl" })).rejects.toThrow(
      /Unknown provider "quandl" \(known: yahoo, polygon, alpaca, alphavantage, alphavantage-fx, ccxt, fred\)/,
    );
    await expect(createHydration(t.db, enqueue, providers, { ...base, symbols: [" ", ""] })).rejects.toThrow(
      /symbol list is empty/,
    );
    await expect(
      createHydration(t.db, enqueue, providers, { ...base, symbols: ["AAA", "bad symbol!"] }),
    ).rejects.toThrow(/"bad symbol!" is not a valid symbol/);
    await expect(createHydration(t.db, enqueue, providers, { ...base, fromMs: TO, toMs: FROM })).rejects.toThrow(
      /reversed/,
    );
    expect(queued).toEqual([]);
    expect(await t.db.select().from(hydrationSymbols)).toEqual([]);

    const { hydrationId, total, batches } = await createHydration(t.db, enqueue, providers, {
      ...base,
      symbols: ["aaa", "BBB", "AAA", "EMPTY", "JUNK", "LIMITED"],
      universe: "my-hydrated",
    });
    expect({ total, batches }).toEqual({ total: 5, batches: 1 });
    expect(queued[0].symbols).toEqual(["AAA", "BBB", "EMPTY", "JUNK", "LIMITED"]);
    // Two workers take the same batch at once (a retried batch racing the original).
    const [r1, r2] = await Promise.all([
      hydrateBatch(t.db, providers, queued[0], { workerId: "w1" }),
      hydrateBatch(t.db, providers, queued[0], { workerId: "w2" }),
    ]);
    expect(r1.settled + r2.settled).toBe(5);
    const results = await hydrationResults(t.db, hydrationId);
    expect(results.map((r) => [r.symbol, r.status, r.bars, r.writes])).toEqual([
      ["AAA", "ok", 3, 1],
      ["BBB", "ok", 3, 1],
      ["EMPTY", "no_data", 0, 0],
      ["JUNK", "error", 0, 0],
      ["LIMITED", "error", 0, 0],
    ]);
    expect(results.find((r) => r.symbol === "EMPTY")?.reason).toMatch(/no bars/);
    expect(results.find((r) => r.symbol === "JUNK")?.reason).toMatch(/polygon/i);
    expect(results.find((r) => r.symbol === "LIMITED")?.reason).toMatch(/429|rate|Retry-After/i);
    expect(await getUniverseSymbols(t.db, "my-hydrated", ws.workspaceId)).toEqual(["AAA", "BBB"]);
    const [aaa] = await loadBars(t.db, ["AAA"], { workspaceId: ws.workspaceId });
    expect(Array.from(aaa.close)).toEqual([10.5, 11.5, 12.5]);
    expect(Array.from(aaa.timestampsMs)).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4)]);
    const p = await hydrationProgress(t.db, hydrationId, Date.now());
    expect(p).toMatchObject({ total: 5, done: 5, ok: 2, noData: 1, error: 2, bars: 6, etaSeconds: 0 });
    // Nothing pending: resuming queues nothing, and a replayed batch writes nothing.
    expect(await queuePending(t.db, enqueue, hydrationId)).toBe(0);
    expect(await hydrateBatch(t.db, providers, queued[0])).toEqual({ settled: 0, skipped: 5 });
    expect((await hydrationResults(t.db, hydrationId)).every((r) => r.writes <= 1)).toBe(true);
  }, 60_000);
});

describe("scheduled refresh on PGlite: only the missing bars", () => {
  let t: TestDatabase;
  afterAll(async () => t?.close());

  it("a refresh appends the bars after each symbol's last one, skips up-to-date symbols, and writes each once", async () => {
    t = await createTestDatabase("pglite");
    const ws = await seedWorkspace(t.db);
    const requested: { symbol: string; fromMs: number }[] = [];
    // One bar a day (16:00 New York) for every day of the requested range, up to `today`.
    let today = Date.UTC(2024, 0, 10);
    const daily = async (url: string) => {
      const m = /ticker\/([^/]+)\/range\/1\/day\/(\d+)\/(\d+)/.exec(url);
      const symbol = decodeURIComponent(m?.[1] ?? "");
      const from = Number(m?.[2]),
        to = Math.min(Number(m?.[3]), today);
      requested.push({ symbol, fromMs: from });
      const results = [];
      for (let d = Math.floor(from / DAY) * DAY; d <= to; d += DAY) {
        const o = 50 + (d - Date.UTC(2024, 0, 1)) / DAY;
        results.push({ v: 10, vw: o, o, c: o + 0.5, h: o + 1, l: o - 1, t: d + 21 * 3600_000, n: 1 });
      }
      return Response.json({
        ticker: symbol,
        queryCount: results.length,
        resultsCount: results.length,
        adjusted: false,
        results,
        status: "OK",
        request_id: "x",
      });
    };
    const providers = [
      createPolygonProvider({
        apiKey: "k",
        fetch: daily,
        resilience: { ratePerMinute: 6_000, cacheTtlMs: 0 },
      }),
    ];
    const queued: HydrateBatchJob[] = [];
    const enqueue = async (jobs: HydrateBatchJob[]) => void queued.push(...jobs);
    const work = async () => {
      for (const job of queued.splice(0)) await hydrateBatch(t.db, providers, job);
    };
    await createHydration(t.db, enqueue, providers, {
      workspaceId: ws.workspaceId,
      provider: "polygon",
      symbols: ["AAA", "BBB"],
      fromMs: Date.UTC(2024, 0, 1),
      toMs: Date.UTC(2024, 0, 10),
      universe: "daily",
    });
    await work();
    const before = await loadBars(t.db, ["AAA"], { workspaceId: ws.workspaceId });
    expect(before[0].close.length).toBe(10); // Jan 1 … Jan 10

    today = Date.UTC(2024, 0, 13);
    const r1 = await refreshHydratedUniverses(t.db, enqueue, providers, Date.UTC(2024, 0, 13, 7));
    expect(r1.started).toEqual([
      { hydrationId: expect.any(String), universe: "daily", workspaceId: ws.workspaceId, total: 2 },
    ]);
    requested.length = 0;
    await work();
    expect(requested.map((r) => [r.symbol, r.fromMs])).toEqual([
      ["AAA", Date.UTC(2024, 0, 10) + 1],
      ["BBB", Date.UTC(2024, 0, 10) + 1],
    ]);
    const results = await hydrationResults(t.db, r1.started[0].hydrationId);
    expect(results.map((r) => [r.symbol, r.status, r.bars, r.writes])).toEqual([
      ["AAA", "ok", 3, 1],
      ["BBB", "ok", 3, 1],
    ]);
    const [after] = await loadBars(t.db, ["AAA"], { workspaceId: ws.workspaceId });
    expect(Array.from(after.timestampsMs)).toEqual(Array.from({ length: 13 }, (_, i) => Date.UTC(2024, 0, 1 + i)));
    expect(Array.from(after.close.subarray(0, 10))).toEqual(Array.from(before[0].close));
    expect(after.close[12]).toBe(50 + 12 + 0.5);

    // Nothing new since: every symbol reports it is up to date, nothing is written.
    const r2 = await refreshHydratedUniverses(t.db, enqueue, providers, Date.UTC(2024, 0, 13, 8));
    await work();
    const again = await hydrationResults(t.db, r2.started[0].hydrationId);
    expect(again.map((r) => [r.status, r.writes])).toEqual([
      ["no_data", 0],
      ["no_data", 0],
    ]);
    expect(again[0].reason).toMatch(/up to date: last bar 2024-01-13/);
    expect((await loadBars(t.db, ["AAA"], { workspaceId: ws.workspaceId }))[0].close.length).toBe(13);
    // A universe whose provider is not configured here is skipped, not failed.
    expect((await refreshHydratedUniverses(t.db, enqueue, [], Date.UTC(2024, 0, 14))).skipped).toEqual([
      "daily: provider polygon is not configured",
    ]);
  }, 60_000);
});

const hasPostgres = DRIVERS.includes("postgres");

interface Kid {
  proc: ChildProcess;
  fetched: () => number;
  ready: Promise<void>;
}

function startHydrateChild(url: string): Kid {
  const proc = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "tests/server/jobs/hydrate-child.ts"],
    {
      env: {
        ...process.env,
        DATABASE_URL: url,
        LAB_QUEUE_MONITOR_SECONDS: "1",
        LAB_JOB_HEARTBEAT_SECONDS: "10",
        LAB_IN_PROCESS_WORKER: "false",
        LAB_WORKER_CONCURRENCY: "2",
        LAB_TEST_FETCH_DELAY_MS: "5",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let fetched = 0;
  let buf = "";
  let onReady = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  proc.stdout?.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    for (const l of parts) {
      if (l.startsWith("fetched ")) fetched++;
      else if (l.startsWith("ready")) onReady();
    }
  });
  proc.stderr?.on("data", (d: Buffer) => process.stderr.write(`[hydrate child ${proc.pid}] ${d}`));
  return { proc, fetched: () => fetched, ready };
}

describe.skipIf(!hasPostgres)("hydration of 1,000 symbols over two worker processes on Postgres", () => {
  let h: Harness;
  const kids: Kid[] = [];
  afterEach(() => {
    for (const k of kids.splice(0)) if (k.proc.exitCode === null) k.proc.kill("SIGKILL");
  });
  afterAll(async () => h?.close());

  it("a worker SIGKILLed mid-way: the other finishes, every symbol settled, every ok symbol written exactly once", async () => {
    h = await createHarness("postgres", { workers: false });
    const url = h.handle.url ?? "";
    const a = startHydrateChild(url);
    const b = startHydrateChild(url);
    kids.push(a, b);
    await Promise.all([a.ready, b.ready]);
    const symbols = [
      ...Array.from({ length: 990 }, (_, i) => `S${String(i).padStart(4, "0")}`),
      ...Array.from({ length: 5 }, (_, i) => `NODATA${i}`),
      ...Array.from({ length: 5 }, (_, i) => `GARBAGE${i}`),
    ];
    // The planner only checks the provider is configured; the workers fetch.
    const planner = [createPolygonProvider({ apiKey: "k", fetch: async () => new Response("unused") })];
    const { hydrationId, batches } = await createHydration(h.db, enqueueHydrateBatches(h.boss), planner, {
      workspaceId: h.ws.workspaceId,
      provider: "polygon",
      symbols,
      fromMs: FROM,
      toMs: TO,
    });
    expect(batches).toBe(40);
    const until = async (cond: () => Promise<boolean> | boolean, ms: number, what: string) => {
      const end = Date.now() + ms;
      while (!(await cond())) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await until(() => a.fetched() >= 100, 60_000, "worker A to fetch 100 symbols");
    a.proc.kill("SIGKILL");
    const atKill = await hydrationProgress(h.db, hydrationId, Date.now());
    expect(atKill.done).toBeLessThan(1000);
    await until(
      async () => (await hydrationProgress(h.db, hydrationId, Date.now())).done === 1000,
      150_000,
      "all 1,000 symbols to settle",
    );

    const results = await hydrationResults(h.db, hydrationId);
    expect(results).toHaveLength(1000);
    const count = (s: string) => results.filter((r) => r.status === s).length;
    expect({ ok: count("ok"), noData: count("no_data"), error: count("error") }).toEqual({
      ok: 990,
      noData: 5,
      error: 5,
    });
    expect(
      results.filter((r) => r.status === "ok").every((r) => r.writes === 1 && r.bars === 20),
      "each ok symbol written exactly once, whole",
    ).toBe(true);
    expect(results.filter((r) => r.status !== "ok").every((r) => r.writes === 0 && (r.reason ?? "") !== "")).toBe(true);
    const workers = await h.db
      .select({ worker: hydrationSymbols.worker, n: sql<number>`count(*)::int` })
      .from(hydrationSymbols)
      .where(eq(hydrationSymbols.hydrationId, hydrationId))
      .groupBy(hydrationSymbols.worker);
    const pids = new Set(workers.map((w) => Number(String(w.worker).split(":")[1])));
    expect(pids, "both processes settled symbols (the killed one before it died)").toEqual(
      new Set([a.proc.pid, b.proc.pid]),
    );
    const stored = await h.db
      .select({
        n: sql<number>`count(*)::int`,
        distinct: sql<number>`count(distinct ${marketSymbols.symbol})::int`,
        bars: sql<number>`sum(${marketSymbols.barCount})::int`,
      })
      .from(marketSymbols)
      .where(and(eq(marketSymbols.workspaceId, h.ws.workspaceId), eq(marketSymbols.source, "polygon")));
    expect(stored[0]).toEqual({ n: 990, distinct: 990, bars: 990 * 20 });
    expect(await getUniverseSymbols(h.db, "polygon-hydrated", h.ws.workspaceId)).toHaveLength(990);
    const p = await hydrationProgress(h.db, hydrationId, Date.now());
    expect(p).toMatchObject({ total: 1000, done: 1000, ok: 990, bars: 990 * 20, etaSeconds: 0 });
  }, 240_000);
});
