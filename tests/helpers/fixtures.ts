/** Seeded users and workspaces for router tests, plus a tRPC caller per actor. */
import { createCaller } from "@/server/api/root";
import type { Context } from "@/server/api/trpc";
import type { DbOrTx, Db } from "@/server/db";
import { memberships } from "@/server/db/schema";
import { signUp } from "@/server/services/accounts";
import { createWorkspace } from "@/server/services/workspaces";
import type { Role } from "@/lib/roles";

export const PASSWORD = "correct horse 42";

export interface SeededUser {
  id: string;
  email: string;
}

export function ctxFor(db: DbOrTx, user: SeededUser | null): Context {
  return {
    db: db as Db,
    actor: user ? { type: "user", id: user.id, label: user.email, ip: "127.0.0.1" } : null,
    apiKey: null,
    ip: "127.0.0.1",
  };
}

export function callerFor(db: DbOrTx, user: SeededUser | null) {
  return createCaller(ctxFor(db, user));
}

let counter = 0;
export async function seedUser(db: Db, prefix: string): Promise<SeededUser> {
  counter += 1;
  const email = `${prefix}-${counter}-${Math.floor(Math.random() * 1e9)}@example.test`;
  const user = await signUp(db, { email, password: PASSWORD }, `10.0.${counter % 250}.1`);
  return { id: user.id, email };
}

export interface SeededWorkspace {
  workspaceId: string;
  slug: string;
  users: Record<Role, SeededUser>;
  outsider: SeededUser;
  otherWorkspaceId: string;
}

/** A workspace with one user per role, and an outsider who owns a second workspace. */
export async function seedWorkspace(db: Db): Promise<SeededWorkspace> {
  const owner = await seedUser(db, "owner");
  const admin = await seedUser(db, "admin");
  const member = await seedUser(db, "member");
  const viewer = await seedUser(db, "viewer");
  const outsider = await seedUser(db, "outsider");
  const slug = `ws-${Math.floor(Math.random() * 1e9)}`;
  const ws = await createWorkspace(db, { type: "user", id: owner.id, label: owner.email }, { name: "Desk", slug });
  await db.insert(memberships).values([
    { workspaceId: ws.id, userId: admin.id, role: "admin" },
    { workspaceId: ws.id, userId: member.id, role: "member" },
    { workspaceId: ws.id, userId: viewer.id, role: "viewer" },
  ]);
  const other = await createWorkspace(
    db,
    { type: "user", id: outsider.id, label: outsider.email },
    { name: "Other", slug: `${slug}-o` },
  );
  return { workspaceId: ws.id, slug, users: { owner, admin, member, viewer }, outsider, otherWorkspaceId: other.id };
}

class Rollback extends Error {}

/** Run `fn` in a transaction that is always rolled back, so each case starts from the same state. */
export async function inRolledBackTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  let out: T | undefined;
  let failure: unknown;
  try {
    await db.transaction(async (tx) => {
      try {
        out = await fn(tx as unknown as Db);
      } catch (err) {
        failure = err;
      }
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  if (failure !== undefined) throw failure;
  return out as T;
}
