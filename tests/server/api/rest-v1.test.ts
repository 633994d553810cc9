/**
 * REST API v1 through its real route handlers, OWASP-API style: keys decide the workspace,
 * other workspaces' objects look missing, scopes are enforced, revoked/expired keys stop at once,
 * mass assignment is refused, and the limiter answers 429 with Retry-After and RateLimit-* headers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import * as strategiesRoute from "@/app/api/v1/strategies/route";
import * as strategyRoute from "@/app/api/v1/strategies/[id]/route";
import { GET as openapi } from "@/app/api/v1/openapi.json/route";
import { setDatabaseForTests } from "@/server/db";
import { createApiKey, revokeApiKey } from "@/server/auth/api-keys";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

const CODE = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "Close above SMA",
  description: "Long while the close is above its 20-day average.",
  params: { period: { type: "int", min: 2, max: 200, step: 1, default: 20 } },
  signals(bars, params, ta) {
    const avg = ta.sma(bars.close, params.period);
    const n = bars.close.length;
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      entries[i] = bars.close[i] > avg[i] ? 1 : 0;
      exits[i] = bars.close[i] < avg[i] ? 1 : 0;
    }
    return { entries, exits };
  },
});
`;

function req(method: string, path: string, key?: string, body?: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://localhost${path}`, {
    method,
    headers: {
      ...(key ? { authorization: key.startsWith("sl_") ? `Bearer ${key}` : key } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}
const noParams = { params: Promise.resolve({}) };
const idParams = (id: string) => ({ params: Promise.resolve({ id }) });

describe("REST API v1", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let runKey: string;
  let readKey: string;
  let otherKey: string;

  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
    const owner = {
      actor: { type: "user" as const, id: s.users.owner.id, label: s.users.owner.email },
      workspaceId: s.workspaceId,
      role: "owner" as const,
    };
    runKey = (await createApiKey(t.db, owner, { name: "ci", scopes: ["read", "run"] })).key;
    readKey = (await createApiKey(t.db, owner, { name: "ro", scopes: ["read"] })).key;
    const other = {
      actor: { type: "user" as const, id: s.outsider.id, label: s.outsider.email },
      workspaceId: s.otherWorkspaceId,
      role: "owner" as const,
    };
    otherKey = (await createApiKey(t.db, other, { name: "other", scopes: ["read", "run"] })).key;
  });
  afterAll(async () => t?.close());

  it("keys are recognisable, long and random", () => {
    expect(runKey).toMatch(/^sl_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(runKey).not.toBe(readKey);
  });

  it("401 without a key, and says how to send one", async () => {
    const res = await strategiesRoute.GET(req("GET", "/api/v1/strategies"), noParams);
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/Bearer/);
    const bad = await strategiesRoute.GET(
      req("GET", "/api/v1/strategies", runKey.replace("sl_", "Token sl_")),
      noParams,
    );
    expect(bad.status).toBe(401);
    expect((await bad.json()).error.message).toMatch(/forget 'Bearer '/);
  });

  it("creates, lists and reads strategies; another workspace's key sees nothing", async () => {
    const created = await strategiesRoute.POST(
      req("POST", "/api/v1/strategies", runKey, { name: "SMA filter", code: CODE }),
      noParams,
    );
    expect(created.status).toBe(201);
    expect(created.headers.get("RateLimit-Limit")).toBeTruthy();
    const body = await created.json();
    expect(body).toMatchObject({ name: "SMA filter", latest_version: 1, versions: [{ version: 1, source: "api" }] });
    expect(body.versions[0].params.period).toMatchObject({ type: "int", default: 20 });

    const list = await (await strategiesRoute.GET(req("GET", "/api/v1/strategies", readKey), noParams)).json();
    expect(list.data.map((d: { id: string }) => d.id)).toContain(body.id);

    const foreign = await strategyRoute.GET(req("GET", `/api/v1/strategies/${body.id}`, otherKey), idParams(body.id));
    expect(foreign.status).toBe(404);
    const foreignList = await (await strategiesRoute.GET(req("GET", "/api/v1/strategies", otherKey), noParams)).json();
    expect(foreignList.data).toHaveLength(0);
    const garbage = await strategyRoute.GET(
      req("GET", "/api/v1/strategies/1%20OR%201=1", runKey),
      idParams("1 OR 1=1"),
    );
    expect(garbage.status).toBe(404);
  });

  it("403 when a read-scope key tries to write", async () => {
    const res = await strategiesRoute.POST(
      req("POST", "/api/v1/strategies", readKey, { name: "x", code: CODE }),
      noParams,
    );
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("FORBIDDEN");
  });

  it("refuses mass assignment of workspace fields and bad bodies with 400", async () => {
    const res = await strategiesRoute.POST(
      req("POST", "/api/v1/strategies", runKey, { name: "x", code: CODE, workspace_id: s.otherWorkspaceId }),
      noParams,
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/workspace_id/);
    const notJson = await strategiesRoute.POST(
      new Request("http://localhost/api/v1/strategies", {
        method: "POST",
        headers: { authorization: `Bearer ${runKey}`, "content-type": "application/json" },
        body: "{nope",
      }),
      noParams,
    );
    expect(notJson.status).toBe(400);
  });

  it("422 with line and column for rejected code; nothing is written", async () => {
    const before = await (await strategiesRoute.GET(req("GET", "/api/v1/strategies", runKey), noParams)).json();
    const res = await strategiesRoute.POST(
      req("POST", "/api/v1/strategies", runKey, { name: "evil", code: `import fs from "node:fs";\nexport default 1;` }),
      noParams,
    );
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toMatch(/line 1/);
    const after = await (await strategiesRoute.GET(req("GET", "/api/v1/strategies", runKey), noParams)).json();
    expect(after.data).toHaveLength(before.data.length);
  });

  it("revoked and expired keys stop working on the next request", async () => {
    const owner = {
      actor: { type: "user" as const, id: s.users.owner.id, label: null },
      workspaceId: s.workspaceId,
      role: "owner" as const,
    };
    const k = await createApiKey(t.db, owner, { name: "temp", scopes: ["read"] });
    expect((await strategiesRoute.GET(req("GET", "/api/v1/strategies", k.key), noParams)).status).toBe(200);
    await revokeApiKey(t.db, owner.actor, { workspaceId: s.workspaceId, id: k.id });
    const revoked = await strategiesRoute.GET(req("GET", "/api/v1/strategies", k.key), noParams);
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.message).toMatch(/revoked/);
    const old = await createApiKey(
      t.db,
      owner,
      { name: "old", scopes: ["read"], expiresInDays: 1 },
      new Date(Date.now() - 2 * 86_400_000),
    );
    const expired = await strategiesRoute.GET(req("GET", "/api/v1/strategies", old.key), noParams);
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.message).toMatch(/expired/);
  });

  it("holds the per-key limit whatever X-Forwarded-For says, with 429 + Retry-After", async () => {
    process.env.LAB_API_KEY_RPM = "5";
    resetEnvCache();
    try {
      const owner = {
        actor: { type: "user" as const, id: s.users.owner.id, label: null },
        workspaceId: s.workspaceId,
        role: "owner" as const,
      };
      const k = await createApiKey(t.db, owner, { name: "limited", scopes: ["read"] });
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 7; i++) {
        last = await strategiesRoute.GET(
          req("GET", "/api/v1/strategies", k.key, undefined, { "x-forwarded-for": `10.9.9.${i}` }),
          noParams,
        );
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(Number(last?.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(last?.headers.get("RateLimit-Remaining")).toBe("0");
    } finally {
      delete process.env.LAB_API_KEY_RPM;
      resetEnvCache();
    }
  });

  it("publishes an OpenAPI 3.1 document generated from the schemas", async () => {
    const doc = await openapi(new Request("http://localhost/api/v1/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/strategies", "/api/v1/runs", "/api/v1/runs/{id}/events", "/api/v1/reports"]),
    );
    expect(doc.paths["/api/v1/runs"].post.requestBody.content["application/json"].schema.properties.mode.enum).toEqual([
      "backtest",
      "screen",
      "alert",
      "optimize",
      "improve",
      "evolve",
      "forward",
      "hydrate",
    ]);
    expect(doc.paths["/api/v1/runs"].post.requestBody.content["application/json"].schema.properties).toHaveProperty(
      "evolve",
    );
    expect(
      Object.keys(
        doc.paths["/api/v1/runs"].post.requestBody.content["application/json"].schema.properties.hydrate.properties,
      ).sort(),
    ).toEqual(["all", "from", "fundamentals", "provider", "quick", "symbols", "to", "universe"]);
    expect(
      doc.paths["/api/v1/strategies/{id}/lifecycle"].post.requestBody.content["application/json"].schema.properties
        .event.enum,
    ).toEqual(["start_shadow", "promote", "disable", "reactivate"]);
    expect(doc.paths["/api/v1/runs"].post.requestBody.content["application/json"].schema.properties).toHaveProperty(
      "study",
    );
  });
});

describe("REST API v1 body limits", () => {
  it("refuses a body over 1 MB with a clear 400, declared or not", async () => {
    const t = await createTestDatabase("pglite");
    setDatabaseForTests(t);
    try {
      const s = await seedWorkspace(t.db);
      const owner = {
        actor: { type: "user" as const, id: s.users.owner.id, label: null },
        workspaceId: s.workspaceId,
        role: "owner" as const,
      };
      const { key } = await createApiKey(t.db, owner, { name: "big", scopes: ["read", "run"] });
      const big = JSON.stringify({ name: "x", code: "a".repeat(1_200_000) });
      const res = await strategiesRoute.POST(req("POST", "/api/v1/strategies", key, JSON.parse(big)), noParams);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/larger than 1000 kB/);
    } finally {
      await t.close();
    }
  });
});
