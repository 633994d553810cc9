/**
 * OWASP API Security Top 10 cases across tRPC and REST on one seeded database:
 * API1 broken object-level authorization (other workspaces' objects look missing),
 * API5 function-level authorization (viewer/member calling admin actions, read-scope keys),
 * API2 broken authentication (revoked/expired keys), API3 mass assignment, API4 limits that a
 * spoofed X-Forwarded-For cannot reset (but that follow configured trusted proxies). On PGlite and
 * on the real Postgres. The cases fixed later live beside it in tests/server/security/.
 */
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as reportsRoute from "@/app/api/v1/reports/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as strategyRoute from "@/app/api/v1/strategies/[id]/route";
import * as strategiesRoute from "@/app/api/v1/strategies/route";
import { resetEnvCache } from "@/lib/env";
import { EXAMPLES } from "@/lib/sdk/examples";
import { setDatabaseForTests } from "@/server/db";
import { apiKeys, auditLog, memberships, reports, runs, type RunInput, type RunResult } from "@/server/db/schema";
import type { ReportSnapshot } from "@/lib/reports/snapshot";
import { clientIpFromHeaders } from "@/server/http/client-ip";
import { signUp } from "@/server/services/accounts";
import { createStrategy } from "@/server/services/strategies";
import { revokeApiKey } from "@/server/auth/api-keys";
import { callerFor, PASSWORD, seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";
import { apiRequest, idParams, keyFor, noParams } from "./rest-helpers";

async function trpcCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

describe.each(DRIVERS)("OWASP API Top 10 cases (%s)", (driver) => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let strategyId: string;
  let runId: string;
  let reportId: string;
  let otherKey: string;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
    const owner = {
      actor: { type: "user" as const, id: s.users.owner.id, label: s.users.owner.email },
      workspaceId: s.workspaceId,
      role: "owner" as const,
    };
    strategyId = (await createStrategy(t.db, owner, { code: EXAMPLES["sma-cross"].source })).strategy.id;
    const [run] = await t.db
      .insert(runs)
      .values({
        workspaceId: s.workspaceId,
        kind: "backtest",
        status: "succeeded",
        input: { strategyId, version: 1 } as RunInput,
        result: { engine: { timestamps: [1, 2], equity: [1, 1.1] } } as RunResult,
        finishedAt: new Date(),
      })
      .returning();
    runId = run.id;
    const [rep] = await t.db
      .insert(reports)
      .values({
        workspaceId: s.workspaceId,
        runId,
        tokenHash: "x".repeat(64),
        title: "Ours",
        includeCode: false,
        snapshot: {} as ReportSnapshot,
      })
      .returning();
    reportId = rep.id;
    otherKey = (await keyFor(t.db, s.outsider.id, s.otherWorkspaceId, ["read", "run", "admin"])).key;
  });
  afterAll(async () => t?.close());

  describe("API1: another workspace's objects look missing", () => {
    it("through REST: strategies, runs and reports by id answer 404 like a random id", async () => {
      const random = crypto.randomUUID();
      for (const id of [strategyId, random]) {
        expect(
          (await strategyRoute.GET(apiRequest("GET", `/api/v1/strategies/${id}`, otherKey), idParams(id))).status,
        ).toBe(404);
      }
      const foreign = await runRoute.GET(apiRequest("GET", `/api/v1/runs/${runId}`, otherKey), idParams(runId));
      const missing = await runRoute.GET(apiRequest("GET", `/api/v1/runs/${random}`, otherKey), idParams(random));
      expect([foreign.status, await foreign.json()]).toEqual([missing.status, await missing.json()]);
      const publish = await reportsRoute.POST(
        apiRequest("POST", "/api/v1/reports", otherKey, { run_id: runId }),
        noParams,
      );
      expect(publish.status).toBe(404);
      expect(await t.db.select().from(reports).where(eq(reports.workspaceId, s.otherWorkspaceId))).toHaveLength(0);
    });

    it("through tRPC: the outsider's own workspace id with our object ids → NOT_FOUND", async () => {
      const outsider = callerFor(t.db, s.outsider);
      const ws = s.otherWorkspaceId;
      expect(await trpcCode(outsider.runs.get({ workspaceId: ws, runId }))).toBe("NOT_FOUND");
      expect(await trpcCode(outsider.runs.cancel({ workspaceId: ws, runId }))).toBe("NOT_FOUND");
      expect(await trpcCode(outsider.reports.publish({ workspaceId: ws, runId }))).toBe("NOT_FOUND");
      expect(await trpcCode(outsider.reports.revoke({ workspaceId: ws, reportId }))).toBe("NOT_FOUND");
      const list = await outsider.reports.list({ workspaceId: ws });
      expect(list).toHaveLength(0);
      const [ours] = await t.db.select().from(reports).where(eq(reports.id, reportId));
      expect(ours.revokedAt, "the foreign revoke changed nothing").toBeNull();
    });

    it("through tRPC: our workspace id as a non-member → NOT_FOUND, not FORBIDDEN", async () => {
      const outsider = callerFor(t.db, s.outsider);
      expect(await trpcCode(outsider.runs.get({ workspaceId: s.workspaceId, runId }))).toBe("NOT_FOUND");
      expect(await trpcCode(outsider.apiKeys.list({ workspaceId: s.workspaceId }))).toBe("NOT_FOUND");
    });
  });

  describe("API5: function-level authorization", () => {
    it("a viewer cannot create keys or publish reports; a member cannot create keys", async () => {
      const keysBefore = (await t.db.select().from(apiKeys)).length;
      const viewer = callerFor(t.db, s.users.viewer);
      const member = callerFor(t.db, s.users.member);
      const ws = s.workspaceId;
      expect(await trpcCode(viewer.apiKeys.create({ workspaceId: ws, name: "mine", scopes: ["admin"] }))).toBe(
        "FORBIDDEN",
      );
      expect(await trpcCode(viewer.apiKeys.list({ workspaceId: ws }))).toBe("FORBIDDEN");
      expect(await trpcCode(viewer.reports.publish({ workspaceId: ws, runId }))).toBe("FORBIDDEN");
      expect(await trpcCode(viewer.reports.revoke({ workspaceId: ws, reportId }))).toBe("FORBIDDEN");
      expect(await trpcCode(member.apiKeys.create({ workspaceId: ws, name: "mine", scopes: ["read"] }))).toBe(
        "FORBIDDEN",
      );
      expect((await t.db.select().from(apiKeys)).length).toBe(keysBefore);
      expect(await t.db.select().from(reports).where(eq(reports.workspaceId, ws))).toHaveLength(1);
    });

    it("a read-scope key cannot publish reports or create strategies (403, nothing written)", async () => {
      const read = (await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read"])).key;
      const res = await reportsRoute.POST(apiRequest("POST", "/api/v1/reports", read, { run_id: runId }), noParams);
      expect(res.status).toBe(403);
      const code = await strategiesRoute.POST(
        apiRequest("POST", "/api/v1/strategies", read, { code: EXAMPLES["sma-cross"].source }),
        noParams,
      );
      expect(code.status).toBe(403);
      expect(await t.db.select().from(reports).where(eq(reports.workspaceId, s.workspaceId))).toHaveLength(1);
    });
  });

  describe("API2: broken authentication", () => {
    it("revoked keys answer 401 on the very next request; expired ones too", async () => {
      const k = await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read"]);
      expect((await strategiesRoute.GET(apiRequest("GET", "/api/v1/strategies", k.key), noParams)).status).toBe(200);
      await revokeApiKey(
        t.db,
        { type: "user", id: s.users.owner.id, label: null },
        { workspaceId: s.workspaceId, id: k.id },
      );
      const res = await runRoute.GET(apiRequest("GET", `/api/v1/runs/${runId}`, k.key), idParams(runId));
      expect(res.status).toBe(401);
      const expired = await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read", "run"], {
        expiresInDays: 1,
        now: new Date(Date.now() - 86_400_001),
      });
      const late = await runRoute.GET(apiRequest("GET", `/api/v1/runs/${runId}`, expired.key), idParams(runId));
      expect([late.status, (await late.json()).error.code]).toEqual([401, "UNAUTHORIZED"]);
    });

    it("a well-formed but unknown key, or one with a flipped character, is 401", async () => {
      const k = (await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read"])).key;
      const flipped = k.slice(0, -1) + (k.endsWith("A") ? "B" : "A");
      for (const key of [flipped, `sl_AAAAAAAA_${"A".repeat(43)}`]) {
        expect((await strategiesRoute.GET(apiRequest("GET", "/api/v1/strategies", key), noParams)).status).toBe(401);
      }
    });
  });

  describe("API3: mass assignment", () => {
    it("tRPC refuses role and workspace fields in key creation and writes nothing", async () => {
      const admin = callerFor(t.db, s.users.admin);
      const before = (await t.db.select().from(apiKeys)).length;
      const extra = [
        { role: "owner" },
        { workspace_id: s.otherWorkspaceId },
        { revokedAt: null },
        { permissions: ["workspace.delete"] },
      ];
      for (const e of extra) {
        const input = { workspaceId: s.workspaceId, name: "x", scopes: ["read"], ...e } as Parameters<
          typeof admin.apiKeys.create
        >[0];
        expect(await trpcCode(admin.apiKeys.create(input))).toBe("BAD_REQUEST");
      }
      expect((await t.db.select().from(apiKeys)).length).toBe(before);
    });

    it("an admin-scope key cannot grant itself owner powers; an invalid scope is refused", async () => {
      const admin = callerFor(t.db, s.users.admin);
      const input = { workspaceId: s.workspaceId, name: "x", scopes: ["owner"] } as unknown as Parameters<
        typeof admin.apiKeys.create
      >[0];
      expect(await trpcCode(admin.apiKeys.create(input))).toBe("BAD_REQUEST");
    });

    it("REST refuses workspace and state fields in report bodies (400) and writes nothing", async () => {
      const run = (await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read", "run"])).key;
      for (const extra of [{ workspace_id: s.otherWorkspaceId }, { revoked_at: null }, { token: "a".repeat(43) }]) {
        const res = await reportsRoute.POST(
          apiRequest("POST", "/api/v1/reports", run, { run_id: runId, ...extra }),
          noParams,
        );
        expect(res.status).toBe(400);
        expect((await res.json()).error.message).toContain(Object.keys(extra)[0]);
      }
      expect(await t.db.select().from(reports).where(eq(reports.workspaceId, s.workspaceId))).toHaveLength(1);
      const roleChange = await t.db.select().from(memberships).where(eq(memberships.userId, s.users.viewer.id));
      expect(roleChange[0].role).toBe("viewer");
    });
  });

  describe("API4: rate-limit bypass through headers", () => {
    const signUpFrom = (peer: string, xff: string) => {
      const headers = new Headers({ "x-lab-peer-ip": peer, "x-forwarded-for": xff });
      return signUp(
        t.db,
        { email: `u-${crypto.randomUUID()}@example.test`, password: PASSWORD },
        clientIpFromHeaders(headers),
      )
        .then(() => "ok")
        .catch((err: { code?: string }) => err.code ?? "error");
    };
    const withEnv = async (vars: Record<string, string>, fn: () => Promise<void>) => {
      Object.assign(process.env, vars);
      resetEnvCache();
      try {
        await fn();
      } finally {
        for (const k of Object.keys(vars)) delete process.env[k];
        resetEnvCache();
      }
    };

    it("a rotating spoofed X-Forwarded-For from an untrusted peer does not reset the per-IP limit", async () => {
      await withEnv({ LAB_SIGNUP_PER_HOUR: "3" }, async () => {
        const results: string[] = [];
        for (let i = 0; i < 5; i++) results.push(await signUpFrom("198.51.100.7", `203.0.113.${i}`));
        expect(results).toEqual(["ok", "ok", "ok", "LIMIT_EXCEEDED", "LIMIT_EXCEEDED"]);
        const limited = await t.db.select().from(auditLog).where(eq(auditLog.ip, "203.0.113.0"));
        expect(limited, "the spoofed address never reached the audit trail").toHaveLength(0);
      });
    });

    it("behind a configured trusted proxy, each forwarded client has its own limit", async () => {
      await withEnv({ LAB_SIGNUP_PER_HOUR: "2", LAB_TRUSTED_PROXIES: "10.0.0.0/8" }, async () => {
        const a = [
          await signUpFrom("10.1.2.3", "192.0.2.10"),
          await signUpFrom("10.1.2.3", "192.0.2.10"),
          await signUpFrom("10.1.2.3", "192.0.2.10"),
        ];
        const b = await signUpFrom("10.1.2.4", "6.6.6.6, 192.0.2.11");
        expect(a).toEqual(["ok", "ok", "LIMIT_EXCEEDED"]);
        expect(b, "the left-most (client-written) hop is ignored; 192.0.2.11 is fresh").toBe("ok");
        const spoofedThroughProxy = await signUpFrom("10.1.2.3", "192.0.2.11, 192.0.2.10");
        expect(spoofedThroughProxy, "prepending a fresh address does not help: the proxy-appended hop counts").toBe(
          "LIMIT_EXCEEDED",
        );
      });
    });
  });
});
