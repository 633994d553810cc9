import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db";
import { memberships, users, workspaces } from "@/server/db/schema";

export async function getMembership(db: DbOrTx, q: { workspaceId: string; userId: string }) {
  const [row] = await db
    .select({ workspace: workspaces, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(memberships.workspaceId, q.workspaceId), eq(memberships.userId, q.userId)))
    .limit(1);
  return row ?? null;
}

export async function getWorkspaceBySlugForUser(db: DbOrTx, q: { slug: string; userId: string }) {
  const [row] = await db
    .select({ workspace: workspaces, role: memberships.role })
    .from(workspaces)
    .innerJoin(memberships, and(eq(memberships.workspaceId, workspaces.id), eq(memberships.userId, q.userId)))
    .where(eq(workspaces.slug, q.slug))
    .limit(1);
  return row ?? null;
}

export async function getWorkspaceBySlug(db: DbOrTx, slug: string) {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.slug, slug)).limit(1);
  return row ?? null;
}

export async function getWorkspaceById(db: DbOrTx, id: string) {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, id)).limit(1);
  return row ?? null;
}

export async function listWorkspacesForUser(db: DbOrTx, userId: string) {
  return db
    .select({ id: workspaces.id, name: workspaces.name, slug: workspaces.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name));
}

export async function listMembers(db: DbOrTx, workspaceId: string) {
  return db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(memberships.createdAt));
}

export async function countOwners(db: DbOrTx, workspaceId: string): Promise<number> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "owner")));
  return rows.length;
}
