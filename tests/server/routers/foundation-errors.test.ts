/**
 * Bad input gets a clear error and changes nothing: each case checks the error code, that the
 * message names the problem, and that no row (including audit rows) was written.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, invites, memberships, users, workspaces } from "@/server/db/schema";
import { authenticate, signUp } from "@/server/services/accounts";
import { acceptInvite, createInvite } from "@/server/services/invites";
import { callerFor, PASSWORD, seedUser, seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";

async function snapshot(t: TestDatabase) {
  const [a] = await t.db.select({ n: count() }).from(auditLog);
  const [u] = await t.db.select({ n: count() }).from(users);
  const [w] = await t.db.select({ n: count() }).from(workspaces);
  const [m] = await t.db.select({ n: count() }).from(memberships);
  const [i] = await t.db.select({ n: count() }).from(invites);
  return { audit: a.n, users: u.n, workspaces: w.n, memberships: m.n, invites: i.n };
}

async function rejects(t: TestDatabase, p: () => Promise<unknown>, code: string, message: RegExp) {
  const before = await snapshot(t);
  let caught: { code?: string; message?: string } | null = null;
  try {
    await p();
  } catch (err) {
    caught = err as { code?: string; message?: string };
  }
  expect(caught, "the call must fail").not.toBeNull();
  expect(caught?.code).toBe(code);
  expect(caught?.message).toMatch(message);
  expect(caught?.message, "no stack traces in messages").not.toMatch(/\n\s+at /);
  expect(await snapshot(t), "nothing was written").toEqual(before);
}

describe.each(DRIVERS)("bad input on %s", (driver) => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    s = await seedWorkspace(t.db);
  });
  afterAll(async () => t?.close());

  const anon = () => callerFor(t.db, null);

  it("refuses a duplicate email", async () => {
    await rejects(
      t,
      () => anon().account.signUp({ email: s.users.owner.email.toUpperCase(), password: PASSWORD }),
      "CONFLICT",
      /already exists/,
    );
  });
  it("refuses a weak password", async () => {
    await rejects(
      t,
      () => anon().account.signUp({ email: "new@example.test", password: "short" }),
      "BAD_REQUEST",
      /at least 10 characters/,
    );
    await rejects(
      t,
      () => anon().account.signUp({ email: "new@example.test", password: "aaaaaaaaaaaaaaa" }),
      "BAD_REQUEST",
      /mix letters/,
    );
  });
  it("refuses unknown fields and over-long strings", async () => {
    await rejects(
      t,
      () => anon().account.signUp({ email: "x@example.test", password: PASSWORD, role: "owner" }),
      "BAD_REQUEST",
      /role|Unrecognized/i,
    );
    const owner = callerFor(t.db, s.users.owner);
    await rejects(
      t,
      () => owner.workspaces.create({ name: "n".repeat(81), slug: "long-name" }),
      "BAD_REQUEST",
      /at most 80/,
    );
    await rejects(
      t,
      () => owner.workspaces.create({ name: "ok", slug: "ok-slug", workspaceId: s.workspaceId } as never),
      "BAD_REQUEST",
      /workspaceId/,
    );
  });
  it("refuses an invalid or taken slug", async () => {
    const owner = callerFor(t.db, s.users.owner);
    await rejects(
      t,
      () => owner.workspaces.create({ name: "X", slug: "Bad Slug" }),
      "BAD_REQUEST",
      /lowercase letters/,
    );
    await rejects(t, () => owner.workspaces.create({ name: "X", slug: "api" }), "BAD_REQUEST", /reserved/);
    await rejects(t, () => owner.workspaces.create({ name: "X", slug: s.slug }), "CONFLICT", /already taken/);
  });
  it("refuses expired, used, revoked and unknown invite tokens", async () => {
    const caller = {
      actor: { type: "user" as const, id: s.users.owner.id, label: null },
      workspaceId: s.workspaceId,
      role: "owner" as const,
    };
    const expired = await createInvite(
      t.db,
      caller,
      { role: "viewer", expiresInDays: 1 },
      new Date(Date.now() - 3 * 86_400_000),
    );
    const newcomer = await seedUser(t.db, "newcomer");
    const c = callerFor(t.db, newcomer);
    await rejects(t, () => c.invites.accept({ token: expired.token }), "CONFLICT", /expired/);
    await rejects(t, () => c.invites.accept({ token: "x".repeat(43) }), "NOT_FOUND", /invalid/);
    const once = await createInvite(t.db, caller, { role: "viewer", expiresInDays: 7 });
    await c.invites.accept({ token: once.token });
    const another = await seedUser(t.db, "another");
    await rejects(
      t,
      () => callerFor(t.db, another).invites.accept({ token: once.token }),
      "CONFLICT",
      /already been used/,
    );
    const revoked = await createInvite(t.db, caller, { role: "member", expiresInDays: 7 });
    await callerFor(t.db, s.users.owner).invites.revoke({ workspaceId: s.workspaceId, inviteId: revoked.id });
    await rejects(t, () => callerFor(t.db, another).invites.accept({ token: revoked.token }), "CONFLICT", /revoked/);
  });
  it("lets exactly one of two simultaneous accepts of the same invite succeed", async () => {
    const caller = {
      actor: { type: "user" as const, id: s.users.owner.id, label: null },
      workspaceId: s.workspaceId,
      role: "owner" as const,
    };
    const inv = await createInvite(t.db, caller, { role: "viewer", expiresInDays: 7 });
    const a = await seedUser(t.db, "racer-a");
    const b = await seedUser(t.db, "racer-b");
    const results = await Promise.allSettled([
      acceptInvite(t.db, { type: "user", id: a.id, label: a.email }, inv.token),
      acceptInvite(t.db, { type: "user", id: b.id, label: b.email }, inv.token),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
  it("refuses a member promoting themselves and an admin creating an owner", async () => {
    await rejects(
      t,
      () =>
        callerFor(t.db, s.users.member).members.updateRole({
          workspaceId: s.workspaceId,
          userId: s.users.member.id,
          role: "admin",
        }),
      "FORBIDDEN",
      /not allow members.manage/,
    );
    await rejects(
      t,
      () =>
        callerFor(t.db, s.users.admin).members.updateRole({
          workspaceId: s.workspaceId,
          userId: s.users.admin.id,
          role: "owner",
        }),
      "FORBIDDEN",
      /own role/,
    );
    await rejects(
      t,
      () =>
        callerFor(t.db, s.users.admin).members.updateRole({
          workspaceId: s.workspaceId,
          userId: s.users.viewer.id,
          role: "owner",
        }),
      "FORBIDDEN",
      /transferring ownership/,
    );
    await rejects(
      t,
      () =>
        callerFor(t.db, s.users.admin).invites.create({
          workspaceId: s.workspaceId,
          role: "owner" as never,
          expiresInDays: 7,
        }),
      "BAD_REQUEST",
      /admin, member or viewer/,
    );
  });
  it("keeps the last owner", async () => {
    await rejects(
      t,
      () => callerFor(t.db, s.users.owner).workspaces.leave({ workspaceId: s.workspaceId }),
      "CONFLICT",
      /last owner/,
    );
    await rejects(
      t,
      () => callerFor(t.db, s.users.admin).members.remove({ workspaceId: s.workspaceId, userId: s.users.owner.id }),
      "FORBIDDEN",
      /above you/,
    );
  });
  it("transfers ownership: the new owner can delete, the old one cannot", async () => {
    const fresh = await seedWorkspace(t.db);
    await callerFor(t.db, fresh.users.owner).workspaces.transferOwnership({
      workspaceId: fresh.workspaceId,
      userId: fresh.users.member.id,
    });
    await rejects(
      t,
      () =>
        callerFor(t.db, fresh.users.owner).workspaces.delete({
          workspaceId: fresh.workspaceId,
          confirmSlug: fresh.slug,
        }),
      "FORBIDDEN",
      /workspace.delete/,
    );
    await callerFor(t.db, fresh.users.member).workspaces.delete({
      workspaceId: fresh.workspaceId,
      confirmSlug: fresh.slug,
    });
    const left = await t.db.select().from(workspaces).where(eq(workspaces.id, fresh.workspaceId));
    expect(left).toHaveLength(0);
    const trail = await t.db.select().from(auditLog).where(eq(auditLog.workspaceId, fresh.workspaceId));
    expect(trail.map((r) => r.action)).toEqual(
      expect.arrayContaining(["workspace.ownership_transferred", "workspace.deleted"]),
    );
  });
  it("throttles sign-in per account with a wait time, in the database", async () => {
    const victim = await seedUser(t.db, "victim");
    for (let i = 0; i < 10; i++) {
      expect(await authenticate(t.db, victim.email, "wrong password!", `192.0.2.${i}`)).toBeNull();
    }
    await expect(authenticate(t.db, victim.email, PASSWORD, "198.51.100.7")).rejects.toMatchObject({
      code: "LIMIT_EXCEEDED",
      retryAfterSeconds: expect.any(Number),
    });
  });
  it("records who did what, from which IP", async () => {
    const u = await signUp(t.db, { email: "audited@example.test", password: PASSWORD }, "203.0.113.9");
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.targetId, u.id));
    expect(row).toMatchObject({ action: "user.signed_up", actorType: "user", actorId: u.id, ip: "203.0.113.9" });
  });
});
