/**
 * Hydrations from the app (tRPC data.hydrate / hydrations / hydrationResults) on PGlite: started
 * by a member as a `hydrate` run, audited, batches on the real pg-boss queue worked by the app's
 * workers, progress and per-symbol outcomes listed; viewers cannot start one; another
 * workspace's hydration looks missing.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseForTests } from "@/server/db";
import { auditLog, runs } from "@/server/db/schema";
import { createPolygonProvider } from "@/server/data/providers";
import { getBoss, stopBoss } from "@/server/jobs/boss";
import { startWorkers, type Workers } from "@/server/jobs/worker";
import { waitForRun } from "../jobs/harness";
import { callerFor, seedWorkspace, type SeededWorkspace } from "../../helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-db";

const PROVIDERS = Symbol.for("strategy-lab.market-data-providers");
const fetchFixture = async (url: string) => {
  const symbol = decodeURIComponent(/ticker\/([^/]+)\//.exec(url)?.[1] ?? "");
  if (symbol === "NONE")
    return Response.json({
      ticker: symbol,
      queryCount: 0,
      resultsCount: 0,
      adjusted: false,
      status: "OK",
      request_id: "x",
    });
  const results = [0, 1].map((i) => ({
    v: 5,
    vw: 3,
    o: 3 + i,
    c: 3.5 + i,
    h: 4 + i,
    l: 2.5 + i,
    t: Date.UTC(2024, 0, 2 + i, 21),
    n: 1,
  }));
  return Response.json({
    ticker: symbol,
    queryCount: 2,
    resultsCount: 2,
    adjusted: false,
    results,
    status: "OK",
    request_id: "x",
  });
};

describe("hydrations from the app", () => {
  let h: TestDatabase;
  let ws: SeededWorkspace;
  let workers: Workers | null = null;
  beforeAll(async () => {
    h = await createTestDatabase("pglite");
    setDatabaseForTests(h);
    ws = await seedWorkspace(h.db);
    (globalThis as Record<symbol, unknown>)[PROVIDERS] = [
      createPolygonProvider({
        apiKey: "k",
        fetch: fetchFixture,
        resilience: { cacheTtlMs: 0, ratePerMinute: 6_000 },
      }),
    ];
  });
  afterAll(async () => {
    delete (globalThis as Record<symbol, unknown>)[PROVIDERS];
    await workers?.stop().catch(() => undefined);
    await stopBoss(2_000);
    await h?.close();
  });

  it("a member starts one; it is audited, queued, worked, and listed with progress and outcomes", async () => {
    const member = callerFor(h.db, ws.users.member);
    const started = await member.data.hydrate({
      workspaceId: ws.workspaceId,
      provider: "polygon",
      symbols: ["aaa", "BBB", "NONE"],
      fromMs: Date.UTC(2024, 0, 1),
      toMs: Date.UTC(2024, 1, 1),
    });
    expect(started).toMatchObject({ total: 3 });
    const [run] = await h.db.select().from(runs).where(eq(runs.id, started.runId));
    expect(run).toMatchObject({ kind: "hydrate", status: "queued", workspaceId: ws.workspaceId });
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "run.created"), eq(auditLog.targetId, started.runId)));
    expect(audit).toHaveLength(1);
    expect(audit[0].metadata).toMatchObject({ kind: "hydrate", provider: "polygon", symbols: 3 });
    let listed = await member.data.hydrations({ workspaceId: ws.workspaceId });
    expect(listed[0]).toMatchObject({
      hydrationId: started.hydrationId,
      total: 3,
      done: 0,
      universe: "polygon-hydrated",
    });
    workers = await startWorkers(await getBoss(), h.db, {
      alerts: false,
      demoFeed: false,
      pollingIntervalSeconds: 0.5,
    });
    const done = await waitForRun(h.db, ws.workspaceId, started.runId, 30_000);
    expect(done.status, done.error ?? "").toBe("succeeded");
    listed = await member.data.hydrations({ workspaceId: ws.workspaceId });
    expect(listed[0]).toMatchObject({ total: 3, done: 3, ok: 2, noData: 1, error: 0, bars: 4, etaSeconds: 0 });
    const results = await member.data.hydrationResults({
      workspaceId: ws.workspaceId,
      hydrationId: started.hydrationId,
    });
    expect(results.map((r) => `${r.symbol}:${r.status}`)).toEqual(["AAA:ok", "BBB:ok", "NONE:no_data"]);
    const universes = await member.data.universes({ workspaceId: ws.workspaceId });
    expect(universes.find((u) => u.name === "polygon-hydrated")?.symbols).toEqual(["AAA", "BBB"]);
    // "Last updated" of the universe: set by the hydration that wrote its symbols.
    expect(Math.abs((universes.find((u) => u.name === "polygon-hydrated")?.updatedMs ?? 0) - Date.now())).toBeLessThan(
      60_000,
    );

    await expect(
      callerFor(h.db, ws.users.viewer).data.hydrate({
        workspaceId: ws.workspaceId,
        provider: "polygon",
        symbols: ["X"],
        fromMs: 0,
        toMs: 1,
      }),
    ).rejects.toThrow(/strategies\.write/);
    await expect(
      member.data.hydrate({ workspaceId: ws.workspaceId, provider: "alpaca", symbols: ["X"], fromMs: 0, toMs: 1 }),
    ).rejects.toThrow(/set ALPACA_KEY_ID and ALPACA_SECRET_KEY/);
    await expect(
      callerFor(h.db, ws.outsider).data.hydrationResults({
        workspaceId: ws.otherWorkspaceId,
        hydrationId: started.hydrationId,
      }),
    ).rejects.toThrow(/Hydration not found/);
  }, 60_000);
});
