/**
 * Market data for a workspace through tRPC `data.*` and REST `POST /api/v1/data/import`:
 * import (all or nothing, every problem by line), audit in the same transaction, symbols and
 * universes visible per workspace, user-defined universes, and the data quality report.
 */
import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as importRoute from "@/app/api/v1/data/import/route";
import { setDatabaseForTests } from "@/server/db";
import { auditLog, marketSymbols } from "@/server/db/schema";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { loadBars } from "@/server/data/store";
import { callerFor, seedWorkspace, type SeededWorkspace } from "../../helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-db";
import { keyFor, noParams } from "../api/rest-helpers";

const GOOG = readFileSync("../shared/data/GOOG.csv", "utf8");
const googLines = GOOG.trim().split("\n");

describe("market data import, symbols and universes", () => {
  let h: TestDatabase;
  let ws: SeededWorkspace;
  const member = () => callerFor(h.db, ws.users.member);

  beforeAll(async () => {
    h = await createTestDatabase("pglite");
    setDatabaseForTests(h);
    ws = await seedWorkspace(h.db);
    await ensureDemoUniverse(h.db, { symbols: 22, years: 1, seed: 5 });
  });
  afterAll(async () => h?.close());

  it("imports a real file for a member: stored exactly, audited, listed with its range, added to 'imported'", async () => {
    const res = await member().data.import({
      workspaceId: ws.workspaceId,
      symbol: "goog",
      csv: GOOG,
      fileName: "GOOG.csv",
    });
    if (!res.ok) throw new Error("import rejected");
    expect(res).toMatchObject({ symbol: "GOOG", bars: googLines.length - 1, firstMs: Date.UTC(2004, 7, 19) });
    const [stored] = await loadBars(h.db, ["GOOG"], { workspaceId: ws.workspaceId });
    expect(stored.close[3]).toBe(104.87); // line 5 of the file
    expect(stored.close.length).toBe(googLines.length - 1);
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "data.imported"), eq(auditLog.workspaceId, ws.workspaceId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: ws.users.member.id, targetId: "GOOG" });
    const symbols = await member().data.symbols({ workspaceId: ws.workspaceId });
    expect(symbols[0]).toMatchObject({ symbol: "GOOG", own: true, synthetic: false, bars: googLines.length - 1 });
    expect(symbols.filter((s) => s.synthetic)).toHaveLength(22);
    expect(await getUniverseSymbols(h.db, "imported", ws.workspaceId)).toEqual(["GOOG"]);
    // Another workspace does not see it.
    const theirs = await callerFor(h.db, ws.outsider).data.symbols({ workspaceId: ws.otherWorkspaceId });
    expect(theirs.some((s) => s.symbol === "GOOG")).toBe(false);
  });

  it("rejects a bad file with every problem by line and writes nothing", async () => {
    const bad = [
      googLines[0],
      googLines[1],
      "2004-08-20,101.01,99,100.5,108.31,11428600",
      "2004-08-23,abc,113.48,109.05,109.4,9137200",
      googLines[1],
    ].join("\n");
    const before = await h.db.select({ id: auditLog.id }).from(auditLog);
    const res = await member().data.import({ workspaceId: ws.workspaceId, symbol: "BADX", csv: bad });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.problems.map((p) => p.line)).toEqual([3, 4, 5]);
    expect(res.problems[0].message).toMatch(/high/i);
    expect(res.problems[1].message).toMatch(/abc/);
    expect(await h.db.select().from(marketSymbols).where(eq(marketSymbols.symbol, "BADX"))).toHaveLength(0);
    expect(await h.db.select({ id: auditLog.id }).from(auditLog)).toHaveLength(before.length);
  });

  it("refuses writes to viewers and invalid symbols", async () => {
    await expect(
      callerFor(h.db, ws.users.viewer).data.import({ workspaceId: ws.workspaceId, symbol: "X", csv: GOOG }),
    ).rejects.toThrow(/viewer.*strategies\.write/);
    await expect(
      member().data.import({ workspaceId: ws.workspaceId, symbol: "bad symbol!", csv: GOOG }),
    ).rejects.toThrow(/not a valid symbol/);
    await expect(callerFor(h.db, ws.outsider).data.symbols({ workspaceId: ws.workspaceId })).rejects.toThrow(
      /Workspace not found/,
    );
  });

  it("creates, lists and deletes a user universe; unknown symbols and built-in names are refused", async () => {
    const demo = (await member().data.symbols({ workspaceId: ws.workspaceId }))
      .filter((s) => s.synthetic)
      .slice(0, 3)
      .map((s) => s.symbol);
    await member().data.saveUniverse({ workspaceId: ws.workspaceId, name: "my-picks", symbols: [...demo, "goog"] });
    expect(await getUniverseSymbols(h.db, "my-picks", ws.workspaceId)).toEqual([...demo, "GOOG"].sort());
    const list = await member().data.universes({ workspaceId: ws.workspaceId });
    expect(list.find((u) => u.name === "my-picks")).toMatchObject({ own: true, synthetic: false });
    expect(list.find((u) => u.name === "demo-22")).toMatchObject({ own: false, synthetic: true });
    await expect(
      member().data.saveUniverse({ workspaceId: ws.workspaceId, name: "nope", symbols: ["NOSUCH"] }),
    ).rejects.toThrow(/No data for symbol\(s\) NOSUCH/);
    await expect(
      member().data.saveUniverse({ workspaceId: ws.workspaceId, name: "demo-tech", symbols: demo }),
    ).rejects.toThrow(/built-in/);
    await expect(member().data.deleteUniverse({ workspaceId: ws.workspaceId, name: "demo-22" })).rejects.toThrow(
      /not one of this workspace's/,
    );
    await member().data.deleteUniverse({ workspaceId: ws.workspaceId, name: "my-picks" });
    await expect(getUniverseSymbols(h.db, "my-picks", ws.workspaceId)).rejects.toThrow(/does not exist/);
    const actions = (
      await h.db.select({ a: auditLog.action }).from(auditLog).where(eq(auditLog.workspaceId, ws.workspaceId))
    ).map((r) => r.a);
    expect(actions).toEqual(expect.arrayContaining(["data.universe_saved", "data.universe_deleted"]));
  });

  it("reports quality: an unadjusted 2:1 split and a stale run in an imported file", async () => {
    // 40 weekdays from 2024-01-01 (Mon); price ~100 with small moves, halves on bar 25, flat bars 10-16.
    const rows = ["Date,Open,High,Low,Close,Volume"];
    let day = Date.UTC(2024, 0, 1);
    for (let i = 0; i < 40; i++) {
      while ([0, 6].includes(new Date(day).getUTCDay())) day += 86_400_000;
      const base = (i >= 25 ? 50 : 100) * (1 + 0.004 * Math.sin(i));
      const c = i >= 10 && i <= 16 ? 100 : base;
      rows.push(`${new Date(day).toISOString().slice(0, 10)},${c},${c * 1.01},${c * 0.99},${c},1000`);
      day += 86_400_000;
    }
    const res = await member().data.import({ workspaceId: ws.workspaceId, symbol: "SPLT", csv: rows.join("\n") });
    expect(res.ok).toBe(true);
    const q = await member().data.quality({ workspaceId: ws.workspaceId, symbol: "SPLT" });
    expect(q.suspectedSplits.map((s) => [s.bar, s.label])).toEqual([[25, "2:1"]]);
    expect(q.staleRuns[0]).toMatchObject({ fromBar: 10, toBar: 16 });
    expect(q.synthetic).toBe(false);
  });

  it("REST: text/csv and multipart with a run key → 201; a read key → 403; a bad file → 422 with problems", async () => {
    const run = await keyFor(h.db, ws.users.owner.id, ws.workspaceId, ["read", "run"]);
    const read = await keyFor(h.db, ws.users.owner.id, ws.workspaceId, ["read"]);
    const post = (key: string, query: string, body: BodyInit, type?: string) =>
      importRoute.POST(
        new Request(`http://localhost/api/v1/data/import${query}`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, ...(type ? { "content-type": type } : {}) },
          body,
        }),
        noParams,
      );
    const ok = await post(
      run.key,
      "?symbol=orcl",
      readFileSync("../shared/data/orcl-1995-2014.csv", "utf8"),
      "text/csv",
    );
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ symbol: "ORCL", first: "1995-01-03T00:00:00.000Z" });
    const [audit] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "data.imported"), eq(auditLog.targetId, "ORCL")));
    expect(audit).toMatchObject({ actorType: "api_key", actorId: run.id });
    expect((await post(read.key, "?symbol=orcl", GOOG, "text/csv")).status).toBe(403);
    const form = new FormData();
    form.set("file", new File([GOOG], "GOOG.csv", { type: "text/csv" }));
    form.set("symbol", "GOOG2");
    expect((await post(run.key, "", form)).status).toBe(201);
    const bad = await post(
      run.key,
      "?symbol=BAD",
      "Date,Open,High,Low,Close,Volume\n2020-01-01,1,2,0.5,-1,10\n",
      "text/csv",
    );
    expect(bad.status).toBe(422);
    const body = await bad.json();
    expect(body.error.problems.length).toBeGreaterThan(0);
    expect(body.error.problems.every((p: { line: number }) => p.line === 2)).toBe(true);
    expect(JSON.stringify(body.error.problems)).toMatch(/-1/);
    expect((await post(run.key, "?symbol=X", "{}", "application/json")).status).toBe(400);
  });
});

describe("fetching from a provider into a workspace", () => {
  it("stores the provider's bars as the workspace's own, audited; unconfigured and failing providers give clear errors", async () => {
    const { importFromProvider } = await import("@/server/data/provider-import");
    const { createYahooProvider } = await import("@/server/data/providers");
    const h = await createTestDatabase("pglite");
    try {
      const ws = await seedWorkspace(h.db);
      const caller = {
        actor: { type: "user" as const, id: ws.users.member.id, label: "m" },
        workspaceId: ws.workspaceId,
        role: "member" as const,
      };
      const body = readFileSync(new URL("../../fixtures/providers/yahoo-chart-goog-1d.json", import.meta.url), "utf8");
      let calls = 0;
      const clock = { now: () => 0, sleep: async () => {}, random: () => 0.5 };
      const yahoo = createYahooProvider({
        clock,
        fetch: async () => {
          calls++;
          return new Response(body);
        },
      });
      const range = { fromMs: Date.UTC(2004, 7, 19), toMs: Date.UTC(2004, 7, 31), interval: "1d" as const };
      const res = await importFromProvider(h.db, caller, [yahoo], { provider: "yahoo", symbol: "goog", ...range });
      expect(res).toMatchObject({ symbol: "GOOG", bars: 5, firstMs: Date.UTC(2004, 7, 19) });
      const [stored] = await loadBars(h.db, ["GOOG"], { workspaceId: ws.workspaceId });
      expect(Array.from(stored.close)).toEqual(googLines.slice(1, 6).map((l) => Number(l.split(",")[4])));
      const [audit] = await h.db.select().from(auditLog).where(eq(auditLog.action, "data.fetched"));
      expect(audit.metadata).toMatchObject({ provider: "yahoo", bars: 5 });
      expect(calls).toBe(1);
      await expect(
        importFromProvider(h.db, caller, [], { provider: "polygon", symbol: "GOOG", ...range }),
      ).rejects.toThrow(/"polygon" is not configured \(configured: none\)/);
      const down = createYahooProvider({
        clock,
        resilience: { maxAttempts: 2 },
        fetch: async () => new Response("busy", { status: 503 }),
      });
      await expect(
        importFromProvider(h.db, caller, [down], { provider: "yahoo", symbol: "MSFT", ...range }),
      ).rejects.toMatchObject({ code: "UNAVAILABLE" });
    } finally {
      await h.close();
    }
  });
});
