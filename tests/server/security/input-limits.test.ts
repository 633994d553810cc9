/**
 * Hostile input that used to reach the database or the JSON parser: a NUL character (U+0000,
 * which PostgreSQL refuses in text and jsonb) anywhere in tRPC or REST input is a 400 naming the
 * field (not a 500, nothing written); a tRPC body over 1 MB is refused before it is parsed.
 */
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as strategiesRoute from "@/app/api/v1/strategies/route";
import * as signInRoute from "@/app/api/account/sign-in/route";
import { EXAMPLES } from "@/lib/sdk/examples";
import { findNulPath } from "@/lib/schemas/text";
import { setDatabaseForTests } from "@/server/db";
import { strategies } from "@/server/db/schema";
import { handleTrpcRequest } from "@/server/http/trpc-handler";
import { callerFor, seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";
import { apiRequest, keyFor, noParams } from "../api/rest-helpers";

// Auth.js needs the Next runtime. These requests carry no session: API keys, or input refused
// before Auth.js would be called.
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));
vi.mock("@/server/auth", () => ({ signIn: vi.fn(async () => undefined), auth: vi.fn(async () => null) }));

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
    return { code: "OK", message: "" };
  } catch (err) {
    if (err instanceof TRPCError) return { code: err.code, message: err.message };
    throw err;
  }
}

describe("findNulPath", () => {
  it("names the first field holding NUL, in nested objects, arrays and keys", () => {
    expect(findNulPath({ a: "x", b: { c: ["ok", "bad\u0000"] } })).toBe("b.c.1");
    expect(findNulPath({ ["k\u0000"]: 1 })).toBe("k\\u0000");
    expect(findNulPath("\u0000")).toBe("");
    expect(findNulPath({ a: "no nul here", n: 1, z: null })).toBeNull();
  });
});

describe.each(DRIVERS)("NUL characters and oversized bodies (%s)", (driver) => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let key: string;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
    key = (await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read", "run"])).key;
  });
  afterAll(async () => t?.close());

  const count = async () =>
    (await t.db.select().from(strategies).where(eq(strategies.workspaceId, s.workspaceId))).length;

  it("tRPC strategies.create with NUL in the name or description → BAD_REQUEST naming the field, nothing written", async () => {
    const owner = callerFor(t.db, s.users.owner);
    const before = await count();
    const code = EXAMPLES["sma-cross"].source;
    const byName = await failure(owner.strategies.create({ workspaceId: s.workspaceId, name: "evil\u0000name", code }));
    expect(byName.code).toBe("BAD_REQUEST");
    expect(byName.message).toMatch(/^name /);
    const byDescription = await failure(
      owner.strategies.create({ workspaceId: s.workspaceId, description: "a\u0000b", code }),
    );
    expect([byDescription.code, byDescription.message.split(" ")[0]]).toEqual(["BAD_REQUEST", "description"]);
    const byCode = await failure(owner.strategies.create({ workspaceId: s.workspaceId, code: `${code}\n// \u0000` }));
    expect([byCode.code, byCode.message.split(" ")[0]]).toEqual(["BAD_REQUEST", "code"]);
    expect(await count()).toBe(before);
  });

  it("tRPC: NUL anywhere else (workspace names, channel targets, nested alert params) is refused the same way", async () => {
    const owner = callerFor(t.db, s.users.owner);
    const rename = await failure(owner.workspaces.update({ workspaceId: s.workspaceId, name: "x\u0000" }));
    expect([rename.code, rename.message.split(" ")[0]]).toEqual(["BAD_REQUEST", "name"]);
    const channel = await failure(
      owner.alerts.createChannel({ workspaceId: s.workspaceId, kind: "email", name: "ops", target: "a\u0000@b.co" }),
    );
    expect([channel.code, channel.message.split(" ")[0]]).toEqual(["BAD_REQUEST", "target"]);
    const signUp = await failure(
      callerFor(t.db, null).account.signUp({ email: "nul@example.test", password: "correct horse 42", name: "\u0000" }),
    );
    expect([signUp.code, signUp.message.split(" ")[0]]).toEqual(["BAD_REQUEST", "name"]);
  });

  it("REST POST /api/v1/strategies with NUL in the name → 400 naming the field, nothing written", async () => {
    const before = await count();
    const res = await strategiesRoute.POST(
      apiRequest("POST", "/api/v1/strategies", key, { name: "x\u0000", code: EXAMPLES["sma-cross"].source }),
      noParams,
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toEqual({
      code: "INVALID_INPUT",
      message: "name must not contain the NUL character (\\u0000).",
    });
    const desc = await strategiesRoute.POST(
      apiRequest("POST", "/api/v1/strategies", key, { description: "\u0000", code: EXAMPLES["sma-cross"].source }),
      noParams,
    );
    expect([desc.status, (await desc.json()).error.message]).toEqual([
      400,
      "description must not contain the NUL character (\\u0000).",
    ]);
    expect(await count()).toBe(before);
  });

  it("REST: NUL in a query parameter → 400 naming it", async () => {
    const res = await strategiesRoute.GET(apiRequest("GET", "/api/v1/strategies?cursor=%00", key), noParams);
    expect([res.status, (await res.json()).error.message]).toEqual([
      400,
      "cursor must not contain the NUL character (\\u0000).",
    ]);
  });

  it("JSON sign-in with NUL in the email → 400 naming the field (not a 500)", async () => {
    const req = new Request("http://localhost/api/account/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "a\u0000@b.co", password: "x" }),
    });
    const res = await signInRoute.POST(req);
    expect([res.status, (await res.json()).error.message]).toEqual([
      400,
      "email must not contain the NUL character (\\u0000).",
    ]);
  });

  it("tRPC: a 50 MB streamed body (no Content-Length) is refused after 1 MB with REST's sentence; a declared one before reading", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(32);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 50 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const req = new Request("http://localhost/api/trpc/strategies.create", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body,
      duplex: "half",
    } as RequestInit);
    const res = await handleTrpcRequest(req);
    expect(res.status).toBe(413);
    const json = await res.json();
    expect(json.error.message).toBe("The request body is larger than 1000 kB.");
    expect(json.error.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", httpStatus: 413, path: "strategies.create" });
    expect(pulled, "stopped reading soon after the cap").toBeLessThan(2 * 1024 * 1024);

    const declared = new Request("http://localhost/api/trpc/a,b?batch=1", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(50 * 1024 * 1024) },
      body: "{}",
    });
    const batch = await handleTrpcRequest(declared);
    expect(batch.status).toBe(413);
    expect((await batch.json()).map((e: { error: { data: { path: string } } }) => e.error.data.path)).toEqual([
      "a",
      "b",
    ]);
  });

  it("tRPC: a body under the cap still reaches the procedure (through the HTTP handler, with an API key)", async () => {
    const req = new Request("http://localhost/api/trpc/strategies.list", {
      method: "GET",
      headers: { authorization: `Bearer ${key}` },
    });
    const url = new URL(req.url);
    url.searchParams.set("input", JSON.stringify({ workspaceId: s.workspaceId }));
    const ok = await handleTrpcRequest(new Request(url, { headers: req.headers }));
    expect(ok.status).toBe(200);
    const post = new Request("http://localhost/api/trpc/strategies.create", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ workspaceId: s.workspaceId, name: "\u0000", code: "x" }),
    });
    const refused = await handleTrpcRequest(post);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toBe("name must not contain the NUL character (\\u0000).");
  });
});
