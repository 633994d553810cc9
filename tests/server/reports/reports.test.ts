/**
 * Shareable reports end to end on the service, the REST route and the public page: publish from a
 * finished backtest, immutable snapshot, code only when chosen, revoked/expired/missing states,
 * and tokens that cannot be guessed, enumerated, truncated or altered into a hit.
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ReportPage from "@/app/r/[token]/page";
import * as reportsRoute from "@/app/api/v1/reports/route";
import { EXAMPLES } from "@/lib/sdk/examples";
import { setDatabaseForTests } from "@/server/db";
import {
  auditLog,
  marketSymbols,
  marketUniverses,
  reports,
  runs,
  type RunInput,
  type RunResult,
} from "@/server/db/schema";
import { getPublicReport, publishReport, revokeReport } from "@/server/services/reports";
import { createStrategy, saveVersion } from "@/server/services/strategies";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { apiRequest, keyFor, noParams } from "../api/rest-helpers";
import type { WorkspaceCaller } from "@/server/auth/access";

const N = 3000;
const DAY = 86_400_000;
/** A hand-made backtest result: equity wobbles upward; drawdown is equity / running peak − 1. */
function backtestResult() {
  const timestamps = Array.from({ length: N }, (_, i) => Date.UTC(2010, 0, 1) + i * DAY);
  const equity = timestamps.map((_, i) => 10_000 * (1 + i / 1000 + 0.05 * Math.sin(i / 7)));
  let peak = -Infinity;
  const drawdown = equity.map((e) => ((peak = Math.max(peak, e)), e / peak - 1));
  const trades = [
    { symbol: "GOOG", entry_time: timestamps[10], exit_time: timestamps[40], pnl: 120.5 },
    { symbol: "GOOG", entry_time: timestamps[50], exit_time: timestamps[90], pnl: -30.25 },
  ];
  return {
    strategy: { name: "SMA cross", params: { fast: 10, slow: 30 } },
    summary: { date_range: ["2010-01-01", "2018-03-18"], symbols_processed: 1 },
    performance_metrics: { sharpe: 1.23, total_return_pct: 29.9, num_trades: 2 },
    grade: { score: 71, grade: "BATTLE_READY", passedElite: false, components: [], uniqueEdges: [] },
    trustworthy: true,
    warnings: [],
    engine: { timestamps, equity, drawdown, benchmark: equity.map((e) => e * 0.9), trades },
  };
}

const page = async (token: string) => renderToStaticMarkup(await ReportPage({ params: Promise.resolve({ token }) }));

describe("shareable reports", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let member: WorkspaceCaller;
  let strategyId: string;
  let code: string;

  async function finishedRun(over: Partial<typeof runs.$inferInsert> = {}) {
    const [row] = await t.db
      .insert(runs)
      .values({
        workspaceId: s.workspaceId,
        kind: "backtest",
        status: "succeeded",
        input: { strategyId, version: 1 } as RunInput,
        result: backtestResult() as unknown as RunResult,
        finishedAt: new Date(),
        ...over,
      })
      .returning();
    return row.id;
  }

  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
    member = {
      actor: { type: "user", id: s.users.member.id, label: s.users.member.email },
      workspaceId: s.workspaceId,
      role: "member",
    };
    code = EXAMPLES["sma-cross"].source.replace("defineStrategy({", "defineStrategy({ /* SECRET-EDGE-42 */");
    strategyId = (await createStrategy(t.db, member, { code })).strategy.id;
  });
  afterAll(async () => t?.close());

  it("publishes through REST with the key as actor; the page shows the snapshot without an account", async () => {
    const key = await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read", "run"]);
    const runId = await finishedRun();
    const res = await reportsRoute.POST(apiRequest("POST", "/api/v1/reports", key.key, { run_id: runId }), noParams);
    expect(res.status).toBe(201);
    const { token, url } = await res.json();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url, "without APP_URL the link is a path, never built from the Host header").toBe(`/r/${token}`);
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "report.published"), eq(auditLog.workspaceId, s.workspaceId)));
    expect(audit).toMatchObject({ actorType: "api_key", actorId: key.id });
    const [row] = await t.db.select().from(reports).where(eq(reports.runId, runId));
    expect(row.tokenHash, "only a hash of the token is stored").not.toContain(token);
    const html = await page(token);
    expect(html).toContain("SMA cross");
    expect(html).not.toContain("SECRET-EDGE-42");
  });

  it("thins long curves to at most 1,500 points, keeping the first and last bar", async () => {
    const { token } = await publishReport(
      t.db,
      member,
      { runId: await finishedRun(), includeCode: false },
      "https://lab.example",
    );
    const report = await getPublicReport(t.db, token);
    if (report.state !== "ok") throw new Error(report.state);
    const { series } = report.snapshot;
    const source = backtestResult().engine;
    const step = Math.ceil(N / 1500);
    expect(series.timestamps.length).toBeLessThanOrEqual(1501);
    expect(series.timestamps[0]).toBe(source.timestamps[0]);
    expect(series.timestamps.at(-1)).toBe(source.timestamps[N - 1]);
    expect(series.equity[7]).toBe(source.equity[7 * step]);
    expect(series.drawdown.every((d) => d <= 0)).toBe(true);
    expect(report.snapshot).toMatchObject({
      grade: "BATTLE READY · 71/100",
      metrics: { sharpe: 1.23 },
      dateRange: ["2010-01-01", "2018-03-18"],
      trades: source.trades,
    });
  });

  it("keeps the snapshot unchanged after the run row and the strategy change", async () => {
    const runId = await finishedRun();
    const { token } = await publishReport(t.db, member, { runId, includeCode: true }, "https://lab.example");
    const before = await getPublicReport(t.db, token);
    await t.db
      .update(runs)
      .set({ result: { engine: { equity: [1], timestamps: [1] } } as RunResult, status: "failed", error: "rewritten" })
      .where(eq(runs.id, runId));
    await saveVersion(t.db, member, { strategyId, code: code.replace("SECRET-EDGE-42", "CHANGED"), note: "edit" });
    const after = await getPublicReport(t.db, token);
    expect(after).toEqual(before);
    if (after.state !== "ok") throw new Error(after.state);
    expect(after.snapshot.code, "the code as published (version 1)").toBe(code);
  });

  it("includes the code only when the sharer chose to", async () => {
    const runId = await finishedRun();
    const without = await publishReport(t.db, member, { runId, includeCode: false }, "");
    const withCode = await publishReport(t.db, member, { runId, includeCode: true }, "");
    const a = await getPublicReport(t.db, without.token);
    const b = await getPublicReport(t.db, withCode.token);
    if (a.state !== "ok" || b.state !== "ok") throw new Error("not published");
    expect(a.snapshot.code).toBeNull();
    expect(JSON.stringify(a.snapshot)).not.toContain("SECRET-EDGE-42");
    expect(b.snapshot.code).toBe(code);
    expect(await page(withCode.token)).toContain("SECRET-EDGE-42");
  });

  it("states the data kind and the assumptions, and pages the trades instead of inlining them", async () => {
    await t.db.insert(marketSymbols).values([
      { workspaceId: null, symbol: "SYNA", name: "Syna Labs (synthetic)", source: "demo", synthetic: true },
      { workspaceId: null, symbol: "SYNB", name: "Synb Corp (synthetic)", source: "demo", synthetic: true },
    ]);
    await t.db
      .insert(marketUniverses)
      .values({ workspaceId: s.workspaceId, name: "syn-2", symbols: ["SYNA", "SYNB"], synthetic: true });
    const result = backtestResult();
    const trades = Array.from({ length: 230 }, (_, i) => ({
      symbol: i % 2 ? "SYNA" : "SYNB",
      side: "long",
      entry_time: "2011-01-03",
      exit_time: "2011-02-01",
      entry_price: 10,
      exit_price: 11,
      size: 3,
      pnl: 3,
      return_pct: 10,
      exit_reason: `signal-${i}`,
    }));
    const input = {
      strategyId,
      version: 1,
      universe: "syn-2",
      from: "2011-01-01",
      params: { fast: 12 },
      config: { initialCash: 25_000, costs: { commissionRate: 0.001, slippageBps: 5 } },
    };
    const runId = await finishedRun({
      input: input as unknown as RunInput,
      result: { ...result, engine: { ...result.engine, trades } } as unknown as RunResult,
    });
    const { token } = await publishReport(t.db, member, { runId, includeCode: false }, "http://localhost");
    const html = await page(token);
    expect(html, "synthetic data is labelled").toContain('data-testid="report-data-kind" data-kind="synthetic"');
    for (const fact of [
      "syn-2 (2 symbols)",
      "$25,000",
      "0.1 % of traded value per fill",
      "5 bps per fill",
      "fills at the next bar&#x27;s open",
      "fast = 12",
      "50 % of equity per position",
    ])
      expect(html, fact).toContain(fact);
    expect(html, "only the first page of trades is inlined").toContain("signal-49");
    expect(html).not.toContain("signal-50");
    expect(html).toContain("Trades 1–50 of 230");
    const third = renderToStaticMarkup(
      await ReportPage({ params: Promise.resolve({ token }), searchParams: Promise.resolve({ trades: "3" }) }),
    );
    expect(third).toContain("signal-100");
    expect(third).not.toContain("signal-99<");
    expect(third).toContain("Trades 101–150 of 230");
  });

  it("shows clear revoked and expired pages instead of the report", async () => {
    const runId = await finishedRun();
    const live = await publishReport(t.db, member, { runId, includeCode: false }, "");
    await revokeReport(t.db, member, live.id);
    expect(await getPublicReport(t.db, live.token)).toEqual({ state: "revoked" });
    expect(await page(live.token)).toContain('data-testid="report-revoked"');
    const old = await publishReport(
      t.db,
      member,
      { runId, includeCode: false, expiresInDays: 1 },
      "",
      new Date(Date.now() - 2 * 86_400_000),
    );
    expect(await getPublicReport(t.db, old.token)).toEqual({ state: "expired" });
    const html = await page(old.token);
    expect(html).toContain('data-testid="report-expired"');
    expect(html).not.toContain("SMA cross");
  });

  it("refuses unfinished, failed and non-backtest runs", async () => {
    const cases: [Partial<typeof runs.$inferInsert>, string][] = [
      [{ status: "running", result: null }, "CONFLICT"],
      [{ status: "failed", result: null }, "CONFLICT"],
      [{ kind: "screen" }, "UNPROCESSABLE"],
    ];
    for (const [over, code] of cases) {
      const runId = await finishedRun(over);
      await expect(publishReport(t.db, member, { runId, includeCode: false }, "")).rejects.toMatchObject({ code });
    }
  });

  describe("token guessing and enumeration", () => {
    let real: string;
    beforeAll(async () => {
      real = (await publishReport(t.db, member, { runId: await finishedRun(), includeCode: false }, "")).token;
    });

    it("1,000 random well-formed tokens are all missing", async () => {
      const states = new Set<string>();
      for (let i = 0; i < 1000; i++)
        states.add((await getPublicReport(t.db, randomBytes(32).toString("base64url"))).state);
      expect([...states]).toEqual(["missing"]);
    });

    it("truncated, extended, altered and re-cased real tokens are missing, and look like any unknown token", async () => {
      const flip = (i: number) => real.slice(0, i) + (real[i] === "A" ? "B" : "A") + real.slice(i + 1);
      const variants = [
        real.slice(0, -1),
        real.slice(1),
        `${real}A`,
        real.toUpperCase() === real ? real.toLowerCase() : real.toUpperCase(),
        ` ${real}`,
        encodeURIComponent(`${real}/`),
        ...[0, 10, 21, 42].map(flip),
        "1",
        "' OR '1'='1",
        "",
      ];
      for (const v of variants) expect((await getPublicReport(t.db, v)).state, v).toBe("missing");
      expect(await page(real.slice(0, -1))).toBe(await page(randomBytes(32).toString("base64url")));
      expect((await getPublicReport(t.db, real)).state, "the real token still works").toBe("ok");
    });
  });
});
