/**
 * OWASP API5 (function-level authorization) for API keys: a key acts for its creator, so its
 * effective permissions are its scopes ∩ the creator's *current* role; a key whose creator left
 * or was removed stops working; demotion and removal are audited naming the keys they affected.
 */
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as strategiesRoute from "@/app/api/v1/strategies/route";
import { EXAMPLES } from "@/lib/sdk/examples";
import { createCaller } from "@/server/api/root";
import { authenticateApiKey } from "@/server/auth/api-keys";
import { setDatabaseForTests } from "@/server/db";
import { apiKeys, auditLog, memberships } from "@/server/db/schema";
import { callerFor, seedUser, seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";
import { apiRequest, noParams } from "../api/rest-helpers";

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

describe.each(DRIVERS)("API keys follow their creator's current role (%s)", (driver) => {
  let t: TestDatabase;
  let s: SeededWorkspace;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
  });
  afterAll(async () => t?.close());

  const keyCaller = async (key: string) => {
    const { actor, apiKey } = await authenticateApiKey(t.db, `Bearer ${key}`, "127.0.0.1");
    return createCaller({ db: t.db, actor, apiKey, ip: "127.0.0.1" });
  };

  /** A fresh admin of the workspace who creates a key with every scope. */
  async function adminWithKey() {
    const admin = await seedUser(t.db, "keyadmin");
    await t.db.insert(memberships).values({ workspaceId: s.workspaceId, userId: admin.id, role: "admin" });
    const created = await callerFor(t.db, admin).apiKeys.create({
      workspaceId: s.workspaceId,
      name: "ci",
      scopes: ["read", "run", "admin"],
    });
    return { admin, key: created.key, keyId: created.id };
  }

  it("an admin demoted to member: the admin-scope key can no longer invite or mint keys, and the demotion names the key", async () => {
    const { admin, key, keyId } = await adminWithKey();
    const before = await keyCaller(key);
    expect(
      await code(before.invites.create({ workspaceId: s.workspaceId, role: "admin" })),
      "works while the creator is an admin",
    ).toBe("OK");

    await callerFor(t.db, s.users.owner).members.updateRole({
      workspaceId: s.workspaceId,
      userId: admin.id,
      role: "member",
    });
    const after = await keyCaller(key);
    const keysBefore = (await t.db.select().from(apiKeys)).length;
    expect(await code(after.invites.create({ workspaceId: s.workspaceId, role: "admin" }))).toBe("FORBIDDEN");
    expect(await code(after.apiKeys.create({ workspaceId: s.workspaceId, name: "more", scopes: ["admin"] }))).toBe(
      "FORBIDDEN",
    );
    expect(
      await code(after.members.updateRole({ workspaceId: s.workspaceId, userId: s.users.viewer.id, role: "member" })),
    ).toBe("FORBIDDEN");
    expect((await t.db.select().from(apiKeys)).length, "no key was minted").toBe(keysBefore);
    expect(await code(after.strategies.list({ workspaceId: s.workspaceId })), "member-level reads still work").toBe(
      "OK",
    );

    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "member.role_changed"), eq(auditLog.targetId, admin.id)));
    const affected = (entry.metadata as { affectedApiKeys: { id: string; lost: string[] }[] }).affectedApiKeys;
    expect(affected.map((k) => k.id)).toEqual([keyId]);
    expect(affected[0].lost).toEqual(
      expect.arrayContaining(["members.manage", "invites.manage", "api_keys.manage", "audit.read"]),
    );
    expect(affected[0].lost).not.toContain("strategies.write");
  });

  it("a creator demoted to viewer: the run-scope key is refused writes over REST too (403, nothing written)", async () => {
    const { admin, key } = await adminWithKey();
    await callerFor(t.db, s.users.owner).members.updateRole({
      workspaceId: s.workspaceId,
      userId: admin.id,
      role: "viewer",
    });
    const res = await strategiesRoute.POST(
      apiRequest("POST", "/api/v1/strategies", key, { code: EXAMPLES["sma-cross"].source }),
      noParams,
    );
    expect(res.status).toBe(403);
    const list = await strategiesRoute.GET(apiRequest("GET", "/api/v1/strategies", key), noParams);
    expect(list.status, "reads the viewer may do still work").toBe(200);
  });

  it("a removed creator's keys stop working (401 on REST and tRPC), are revoked, and the removal names them", async () => {
    const { admin, key, keyId } = await adminWithKey();
    await callerFor(t.db, s.users.owner).members.remove({ workspaceId: s.workspaceId, userId: admin.id });
    const res = await strategiesRoute.GET(apiRequest("GET", "/api/v1/strategies", key), noParams);
    expect(res.status).toBe(401);
    await expect(authenticateApiKey(t.db, `Bearer ${key}`, null)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(row.revokedAt).not.toBeNull();
    const [removed] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "member.removed"), eq(auditLog.targetId, admin.id)));
    expect((removed.metadata as { affectedApiKeys: { id: string }[] }).affectedApiKeys.map((k) => k.id)).toEqual([
      keyId,
    ]);
    const revoked = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "api_key.revoked"), eq(auditLog.targetId, keyId)));
    expect(revoked).toHaveLength(1);
  });

  it("a creator who leaves: their keys stop working", async () => {
    const { admin, key } = await adminWithKey();
    await callerFor(t.db, admin).workspaces.leave({ workspaceId: s.workspaceId });
    await expect(authenticateApiKey(t.db, `Bearer ${key}`, null)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("a creator whose membership vanished some other way (no revocation ran): the key is still refused", async () => {
    const { admin, key } = await adminWithKey();
    await t.db
      .delete(memberships)
      .where(and(eq(memberships.workspaceId, s.workspaceId), eq(memberships.userId, admin.id)));
    await expect(authenticateApiKey(t.db, `Bearer ${key}`, null)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("a demoted creator promoted back: the key's scopes apply again (the role is read on every request)", async () => {
    const { admin, key } = await adminWithKey();
    const owner = callerFor(t.db, s.users.owner);
    await owner.members.updateRole({ workspaceId: s.workspaceId, userId: admin.id, role: "member" });
    expect(await code((await keyCaller(key)).invites.list({ workspaceId: s.workspaceId }))).toBe("FORBIDDEN");
    await owner.members.updateRole({ workspaceId: s.workspaceId, userId: admin.id, role: "admin" });
    expect(await code((await keyCaller(key)).invites.list({ workspaceId: s.workspaceId }))).toBe("OK");
  });
});
