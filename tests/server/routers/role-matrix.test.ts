/**
 * Every workspace procedure, called as each role and as an outsider: allowed or refused as the
 * permission matrix in lib/roles.ts says, and an outsider always sees NOT_FOUND.
 * Each call runs in a rolled-back transaction so cases do not affect each other.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, ROLES, type Permission, type Role } from "@/lib/roles";
import type { Db } from "@/server/db";
import { callerFor, inRolledBackTx, seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";

type Caller = ReturnType<typeof callerFor>;
type Outcome = "ok" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST" | "UNAUTHORIZED";

interface Case {
  name: string;
  permission: Permission;
  call: (c: Caller, s: SeededWorkspace, workspaceId: string) => Promise<unknown>;
  /** Outcome for a role that holds the permission, when it is not plain "ok". */
  allowed?: Partial<Record<Role, Outcome>>;
}

const CASES: Case[] = [
  { name: "members.list", permission: "members.read", call: (c, _s, w) => c.members.list({ workspaceId: w }) },
  {
    name: "members.updateRole (viewer → member)",
    permission: "members.manage",
    call: (c, s, w) => c.members.updateRole({ workspaceId: w, userId: s.users.viewer.id, role: "member" }),
  },
  {
    name: "members.remove (member)",
    permission: "members.manage",
    call: (c, s, w) => c.members.remove({ workspaceId: w, userId: s.users.member.id }),
  },
  {
    name: "invites.create",
    permission: "invites.manage",
    call: (c, _s, w) => c.invites.create({ workspaceId: w, role: "viewer", expiresInDays: 7 }),
  },
  { name: "invites.list", permission: "invites.manage", call: (c, _s, w) => c.invites.list({ workspaceId: w }) },
  { name: "audit.list", permission: "audit.read", call: (c, _s, w) => c.audit.list({ workspaceId: w, limit: 10 }) },
  {
    name: "workspaces.update",
    permission: "settings.manage",
    call: (c, _s, w) => c.workspaces.update({ workspaceId: w, name: "Renamed" }),
  },
  {
    name: "workspaces.delete",
    permission: "workspace.delete",
    call: (c, s, w) => c.workspaces.delete({ workspaceId: w, confirmSlug: w === s.workspaceId ? s.slug : "x" }),
  },
  {
    name: "workspaces.transferOwnership (to admin)",
    permission: "workspace.transfer",
    call: (c, s, w) => c.workspaces.transferOwnership({ workspaceId: w, userId: s.users.admin.id }),
  },
  {
    name: "workspaces.leave",
    permission: "workspace.read",
    call: (c, _s, w) => c.workspaces.leave({ workspaceId: w }),
    allowed: { owner: "CONFLICT" },
  },
];

async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return ((err as { code?: string }).code as Outcome) ?? "ok";
  }
}

describe.each(DRIVERS)("role matrix on %s", (driver) => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    s = await seedWorkspace(t.db);
  });
  afterAll(async () => t?.close());

  for (const c of CASES) {
    for (const role of ROLES) {
      const expected: Outcome = can(role, c.permission) ? (c.allowed?.[role] ?? "ok") : "FORBIDDEN";
      it(`${c.name} as ${role} → ${expected}`, async () => {
        const got = await inRolledBackTx(t.db, (tx: Db) =>
          outcome(c.call(callerFor(tx, s.users[role]), s, s.workspaceId)),
        );
        expect(got).toBe(expected);
      });
    }
    it(`${c.name} as an outsider → NOT_FOUND`, async () => {
      const got = await inRolledBackTx(t.db, (tx: Db) => outcome(c.call(callerFor(tx, s.outsider), s, s.workspaceId)));
      expect(got).toBe("NOT_FOUND");
    });
    it(`${c.name} on another workspace's id → NOT_FOUND`, async () => {
      const got = await inRolledBackTx(t.db, (tx: Db) =>
        outcome(c.call(callerFor(tx, s.users.owner), s, s.otherWorkspaceId)),
      );
      expect(got).toBe("NOT_FOUND");
    });
    it(`${c.name} without a session → UNAUTHORIZED`, async () => {
      const got = await inRolledBackTx(t.db, (tx: Db) => outcome(c.call(callerFor(tx, null), s, s.workspaceId)));
      expect(got).toBe("UNAUTHORIZED");
    });
  }
});
