/**
 * Shared report links answer with a status a link checker can read: an unknown token is 404,
 * a revoked or expired one 410 Gone — each with the friendly page as the body — and a live one
 * goes on to the report page. Checked through the request proxy, where the answer is made.
 */
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { reportMetadataBase } from "@/server/http/report-link";
import proxy from "@/proxy";
import { setDatabaseForTests } from "@/server/db";
import { runs, type RunInput, type RunResult } from "@/server/db/schema";
import { publishReport, revokeReport } from "@/server/services/reports";
import { createStrategy } from "@/server/services/strategies";
import { EXAMPLES } from "@/lib/sdk/examples";
import type { WorkspaceCaller } from "@/server/auth/access";
import { seedWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

const DAY = 86_400_000;
const result = {
  strategy: { name: "SMA cross", params: {} },
  summary: { date_range: ["2010-01-01", "2010-01-03"], symbols_processed: 1 },
  performance_metrics: { sharpe: 1, total_return_pct: 2, num_trades: 0 },
  grade: { score: 50, grade: "PROMISING", passedElite: false, components: [], uniqueEdges: [] },
  trustworthy: true,
  warnings: [],
  engine: {
    timestamps: [0, DAY, 2 * DAY],
    equity: [1, 1.01, 1.02],
    drawdown: [0, 0, 0],
    benchmark: [1, 1, 1],
    trades: [],
  },
};

const visit = async (path: string, method = "GET") =>
  proxy(new NextRequest(`http://localhost:3000${path}`, { method }));

describe("shared report link status", () => {
  let t: TestDatabase;
  let member: WorkspaceCaller;
  let runId: string;

  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    setDatabaseForTests(t);
    const s = await seedWorkspace(t.db);
    member = {
      actor: { type: "user", id: s.users.member.id, label: s.users.member.email },
      workspaceId: s.workspaceId,
      role: "member",
    };
    const strategyId = (await createStrategy(t.db, member, { code: EXAMPLES["sma-cross"].source })).strategy.id;
    const [row] = await t.db
      .insert(runs)
      .values({
        workspaceId: s.workspaceId,
        kind: "backtest",
        status: "succeeded",
        input: { strategyId, version: 1 } as RunInput,
        result: result as unknown as RunResult,
        finishedAt: new Date(),
      })
      .returning();
    runId = row.id;
  });
  afterAll(async () => t?.close());

  it("an unknown or malformed token is 404 with the friendly page", async () => {
    for (const token of ["A".repeat(43), "nope"]) {
      const res = await visit(`/r/${token}`);
      expect(res.status, token).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toContain('data-testid="report-missing"');
      expect(html).toContain("Report not found");
      expect(res.headers.get("x-frame-options"), "security headers still apply").toBe("DENY");
    }
    expect((await visit(`/r/${"A".repeat(43)}`, "HEAD")).status).toBe(404);
  });

  it("a revoked link is 410 Gone, and so is an expired one", async () => {
    const live = await publishReport(t.db, member, { runId, includeCode: false }, "");
    await revokeReport(t.db, member, live.id);
    const revoked = await visit(`/r/${live.token}`);
    expect(revoked.status).toBe(410);
    expect(await revoked.text()).toContain("This report was withdrawn");
    const old = await publishReport(
      t.db,
      member,
      { runId, includeCode: false, expiresInDays: 1 },
      "",
      new Date(Date.now() - 2 * DAY),
    );
    const expired = await visit(`/r/${old.token}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("This report has expired");
  });

  it("a live link goes on to the report page", async () => {
    const live = await publishReport(t.db, member, { runId, includeCode: false }, "");
    const res = await visit(`/r/${live.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-middleware-next"), "passed on to the page").toBe("1");
    const image = await visit(`/r/${"A".repeat(43)}/opengraph-image`);
    expect(image.headers.get("x-middleware-next"), "paths below a link are not looked up here").toBe("1");
  });
});

describe("report page metadataBase", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("comes from APP_URL, else a trusted proxy's forwarded host, never the bare Host header", () => {
    const h = (init: Record<string, string>) => new Headers(init);
    vi.stubEnv("APP_URL", "");
    vi.stubEnv("LAB_TRUSTED_PROXIES", "10.0.0.1");
    resetEnvCache();
    expect(reportMetadataBase(h({ host: "evil.example" })), "a Host header alone is not believed").toBeUndefined();
    expect(
      reportMetadataBase(
        h({ "x-lab-peer-ip": "10.0.0.1", "x-forwarded-host": "lab.example.com", "x-forwarded-proto": "https" }),
      )?.origin,
    ).toBe("https://lab.example.com");
    expect(
      reportMetadataBase(h({ "x-lab-peer-ip": "203.0.113.9", "x-forwarded-host": "evil.example" })),
      "an untrusted peer's forwarded host is ignored",
    ).toBeUndefined();
    vi.stubEnv("APP_URL", "https://reports.example.org/");
    resetEnvCache();
    expect(reportMetadataBase(h({ host: "localhost:3000" }))?.origin).toBe("https://reports.example.org");
  });
});
