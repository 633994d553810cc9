/**
 * REST v1 runs through the real route handlers on a real queue (pg-boss on PGlite, trivial
 * handlers): start → 202, read, watch over SSE, cancel; scopes, tenancy (another workspace's run
 * answers exactly like a missing one), mass assignment, and audit rows naming the key.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runsRoute from "@/app/api/v1/runs/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as cancelRoute from "@/app/api/v1/runs/[id]/cancel/route";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import { EXAMPLES } from "@/lib/sdk/examples";
import { setDatabaseForTests } from "@/server/db";
import { auditLog, runs } from "@/server/db/schema";
import { createStrategy } from "@/server/services/strategies";
import { runInputOf } from "@/lib/schemas/runs";
import { createHarness, steppingHandler, waitForRun, type Harness } from "../jobs/harness";
import { apiRequest, idParams, keyFor, noParams, readEvents } from "./rest-helpers";

describe("REST v1 runs", () => {
  let h: Harness;
  let runKey: { id: string; key: string };
  let readKey: { id: string; key: string };
  let otherKey: { id: string; key: string };
  let foreignStrategyId: string;

  const runCount = async () => (await h.db.select({ id: runs.id }).from(runs)).length;
  const start = (key: string, body: unknown) => runsRoute.POST(apiRequest("POST", "/api/v1/runs", key, body), noParams);
  const body = (over: Record<string, unknown> = {}) => ({
    strategy_id: h.strategyId,
    mode: "backtest",
    symbols: ["aaa"],
    ...over,
  });

  beforeAll(async () => {
    h = await createHarness("pglite");
    setDatabaseForTests(h.handle);
    await h.startWorkers({
      concurrency: 2,
      handlers: {
        backtest: steppingHandler(300),
        screen: steppingHandler(30_000, 300),
      },
    });
    runKey = await keyFor(h.db, h.ws.users.owner.id, h.ws.workspaceId, ["read", "run"]);
    readKey = await keyFor(h.db, h.ws.users.owner.id, h.ws.workspaceId, ["read"]);
    otherKey = await keyFor(h.db, h.ws.outsider.id, h.ws.otherWorkspaceId, ["read", "run"]);
    const outsider = {
      actor: { type: "user" as const, id: h.ws.outsider.id, label: h.ws.outsider.email },
      workspaceId: h.ws.otherWorkspaceId,
      role: "owner" as const,
    };
    foreignStrategyId = (await createStrategy(h.db, outsider, { code: EXAMPLES["sma-cross"].source })).strategy.id;
  });
  afterAll(async () => h?.close());

  it("starts a run with 202 and a run id, audited with the key as actor", async () => {
    const res = await start(runKey.key, body());
    expect(res.status).toBe(202);
    expect(res.headers.get("RateLimit-Limit")).toBeTruthy();
    const { run_id } = await res.json();
    expect(run_id).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await h.db.select().from(runs).where(eq(runs.id, run_id));
    expect(row).toMatchObject({ workspaceId: h.ws.workspaceId, kind: "backtest", origin: "api" });
    expect(runInputOf(row, "backtest").symbols, "symbols are normalised by the shared run schema").toEqual(["AAA"]);
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "run.created"), eq(auditLog.targetId, run_id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "api_key", actorId: runKey.id, workspaceId: h.ws.workspaceId });
  });

  it("reads status and progress, and the result once the run has succeeded", async () => {
    const { run_id } = await (await start(runKey.key, body())).json();
    const early = await (
      await runRoute.GET(apiRequest("GET", `/api/v1/runs/${run_id}`, readKey.key), idParams(run_id))
    ).json();
    expect(["queued", "running"]).toContain(early.status);
    expect(early.result).toBeNull();
    expect(early).toMatchObject({ id: run_id, mode: "backtest", finished_at: null });
    await waitForRun(h.db, h.ws.workspaceId, run_id);
    const done = await (
      await runRoute.GET(apiRequest("GET", `/api/v1/runs/${run_id}`, readKey.key), idParams(run_id))
    ).json();
    expect(done.status).toBe("succeeded");
    expect(done.result).toMatchObject({ ok: true, runId: run_id });
    expect(typeof done.finished_at).toBe("string");
  });

  it("streams progress as server-sent events until the run ends", async () => {
    const { run_id } = await (await start(runKey.key, body())).json();
    const res = await eventsRoute.GET(
      apiRequest("GET", `/api/v1/runs/${run_id}/events`, readKey.key),
      idParams(run_id),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = await readEvents(res);
    const last = events[events.length - 1];
    expect(last.event).toBe("done");
    expect(last.data).toMatchObject({ id: run_id, status: "succeeded", result: { ok: true } });
    expect(events.slice(0, -1).every((e) => e.event === "progress")).toBe(true);
    const percents = events.map((e) => (e.data as { progress: { percent: number } }).progress.percent);
    expect(percents, "progress never goes backwards").toEqual([...percents].sort((a, b) => a - b));
  });

  it("cancels a running run, audited with the key as actor", async () => {
    const { run_id } = await (await start(runKey.key, body({ mode: "screen" }))).json();
    await waitForRun(h.db, h.ws.workspaceId, run_id, 20_000, (r) => r.status === "running");
    const res = await cancelRoute.POST(
      apiRequest("POST", `/api/v1/runs/${run_id}/cancel`, runKey.key),
      idParams(run_id),
    );
    expect(res.status).toBe(200);
    const ended = await waitForRun(h.db, h.ws.workspaceId, run_id);
    expect(ended.status).toBe("cancelled");
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "run.cancelled"), eq(auditLog.targetId, run_id)));
    expect(audit.map((a) => [a.actorType, a.actorId])).toEqual([["api_key", runKey.id]]);
  });

  it("another workspace's run answers exactly like a missing one, through every route", async () => {
    const { run_id } = await (await start(runKey.key, body({ mode: "screen" }))).json();
    const missing = crypto.randomUUID();
    const answers = async (id: string) => {
      const all = [
        await runRoute.GET(apiRequest("GET", `/api/v1/runs/${id}`, otherKey.key), idParams(id)),
        await eventsRoute.GET(apiRequest("GET", `/api/v1/runs/${id}/events`, otherKey.key), idParams(id)),
        await cancelRoute.POST(apiRequest("POST", `/api/v1/runs/${id}/cancel`, otherKey.key), idParams(id)),
      ];
      return Promise.all(all.map(async (r) => [r.status, r.headers.get("content-type"), await r.json()]));
    };
    const foreign = await answers(run_id);
    expect(foreign.map((a) => a[0])).toEqual([404, 404, 404]);
    expect(foreign, "same status, type and body as a random id").toEqual(await answers(missing));
    const [row] = await h.db.select().from(runs).where(eq(runs.id, run_id));
    expect(row.cancelRequestedAt, "the foreign cancel changed nothing").toBeNull();
    await cancelRoute.POST(apiRequest("POST", `/api/v1/runs/${run_id}/cancel`, runKey.key), idParams(run_id));
  });

  it("refuses another workspace's strategy with 404 and writes nothing", async () => {
    const before = await runCount();
    const res = await start(runKey.key, body({ strategy_id: foreignStrategyId }));
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("NOT_FOUND");
    expect(await runCount()).toBe(before);
  });

  it("a read-scope key cannot start or cancel runs (403, nothing written)", async () => {
    const before = await runCount();
    const res = await start(readKey.key, body());
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/runs\.create/);
    expect(await runCount()).toBe(before);
    const id = crypto.randomUUID();
    expect(
      (await cancelRoute.POST(apiRequest("POST", `/api/v1/runs/${id}/cancel`, readKey.key), idParams(id))).status,
    ).toBe(403);
  });

  it.each([
    ["workspace_id", { workspace_id: "00000000-0000-4000-8000-000000000000" }],
    ["status", { status: "succeeded" }],
    ["result", { result: { sharpe: 9 } }],
    ["priority", { priority: "interactive" }],
    ["created_by", { created_by: "someone-else" }],
  ])("refuses mass assignment of %s with 400 and writes nothing", async (field, extra) => {
    const before = await runCount();
    const res = await start(runKey.key, body(extra));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(field);
    expect(await runCount()).toBe(before);
  });

  it("a universe that does not exist is refused before anything is queued (422 naming it); a demo name still being written is accepted", async () => {
    const before = await runCount();
    const res = await start(runKey.key, body({ symbols: undefined, universe: "no-such-universe" }));
    expect(res.status).toBe(422);
    const err = (await res.json()).error;
    expect(err.message).toMatch(/Universe "no-such-universe" does not exist/);
    expect(JSON.stringify(err)).toContain("universe");
    expect(await runCount()).toBe(before);
    // demo-tech is written at start-up (not yet here): the run is queued and waits for it
    expect((await start(runKey.key, body({ symbols: undefined, universe: "demo-tech" }))).status).toBe(202);
  });

  it("400 for universe and symbols together, or neither; 404 for a malformed run id", async () => {
    expect((await start(runKey.key, body({ universe: "demo-500" }))).status).toBe(400);
    expect((await start(runKey.key, { strategy_id: h.strategyId, mode: "backtest" })).status).toBe(400);
    const res = await runRoute.GET(apiRequest("GET", "/api/v1/runs/1'or'1", runKey.key), idParams("1'or'1"));
    expect(res.status).toBe(404);
  });
});
