/**
 * One access check for every entry point: authorizeWorkspace decides for sessions and API keys
 * alike, and the route handlers answer its decisions in the REST API's error shape.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditExport from "@/app/api/audit/export/route";
import * as screenCsv from "@/app/api/screens/[runId]/csv/route";
import { authorizeWorkspace, principalOf, type Principal } from "@/server/auth/access";
import { authenticateApiKey } from "@/server/auth/api-keys";
import { setDatabaseForTests } from "@/server/db";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace, type SeededUser, type SeededWorkspace } from "../../helpers/fixtures";
import { apiRequest, keyFor } from "../api/rest-helpers";

const user = (u: SeededUser): Principal => ({
  type: "user",
  actor: { type: "user", id: u.id, label: u.email },
  userId: u.id,
});

describe("authorizeWorkspace", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let readKey: Principal;
  let adminKey: string;

  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
    const read = await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read"]);
    const auth = await authenticateApiKey(t.db, `Bearer ${read.key}`, null);
    const p = principalOf(auth);
    if (!p) throw new Error("no principal");
    readKey = p;
    adminKey = (await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read", "admin"])).key;
  });
  afterAll(async () => t?.close());

  it("gives a member the caller with their role, and refuses what the role lacks by name", async () => {
    await expect(authorizeWorkspace(t.db, user(s.users.member), s.workspaceId, "runs.create")).resolves.toEqual({
      actor: expect.objectContaining({ id: s.users.member.id }),
      workspaceId: s.workspaceId,
      role: "member",
    });
    await expect(authorizeWorkspace(t.db, user(s.users.viewer), s.workspaceId, "runs.create")).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Your role (viewer) does not allow runs.create.",
    });
  });

  it("treats another workspace, a malformed id and no principal alike for users and keys", async () => {
    // The outsider is not a member of the workspace; the read key belongs to it, not to the other one.
    const cases: [Principal, string][] = [
      [user(s.outsider), s.workspaceId],
      [readKey, s.otherWorkspaceId],
    ];
    for (const [p, notTheirs] of cases) {
      await expect(authorizeWorkspace(t.db, p, notTheirs, "runs.read")).rejects.toMatchObject({
        code: "NOT_FOUND",
        message: "Workspace not found.",
      });
      await expect(authorizeWorkspace(t.db, p, "not-a-uuid", "runs.read")).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(authorizeWorkspace(t.db, p, 42, "runs.read")).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(authorizeWorkspace(t.db, null, s.workspaceId, "runs.read")).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("lets a key do what its scopes and its creator's role both allow, in its own workspace only", async () => {
    await expect(authorizeWorkspace(t.db, readKey, s.workspaceId, "runs.read")).resolves.toMatchObject({
      workspaceId: s.workspaceId,
      role: null,
    });
    await expect(authorizeWorkspace(t.db, readKey, s.workspaceId, "runs.create")).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("API key does not allow runs.create"),
    });
  });

  it("answers route handlers in the REST error shape: 401 bad key, 403 missing permission, 404 other workspace", async () => {
    const url = (ws: string) => `/api/audit/export?workspaceId=${ws}`;
    const bad = await auditExport.GET(apiRequest("GET", url(s.workspaceId), "sl_notakey"), {
      params: Promise.resolve({}),
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: { code: "UNAUTHORIZED", message: expect.any(String) } });
    const read = await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read"]);
    const forbidden = await auditExport.GET(apiRequest("GET", url(s.workspaceId), read.key), {
      params: Promise.resolve({}),
    });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe("FORBIDDEN");
    const ok = await auditExport.GET(apiRequest("GET", url(s.workspaceId), adminKey), { params: Promise.resolve({}) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/csv");
    const other = await auditExport.GET(apiRequest("GET", url(s.otherWorkspaceId), adminKey), {
      params: Promise.resolve({}),
    });
    expect(other.status).toBe(404);
    const csv = await screenCsv.GET(
      apiRequest("GET", `/api/screens/not-a-run/csv?workspaceId=${s.workspaceId}`, adminKey),
      { params: Promise.resolve({ runId: "not-a-run" }) },
    );
    expect(csv.status).toBe(404);
    expect(await csv.json()).toEqual({ error: { code: "NOT_FOUND", message: "Screen run not found." } });
  });
});
