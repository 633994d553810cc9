import "server-only";
/** Workspace lifecycle: create, rename, delete, transfer ownership, leave. Each change is audited in its transaction. */
import { and, eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Db } from "@/server/db";
import { memberships, workspaces } from "@/server/db/schema";
import { countOwners, getMembership } from "@/server/db/queries/workspaces";
import { keysAffectedByRoleChange, revokeKeysOfDepartedCreator } from "@/server/auth/api-keys";
import { recordAudit } from "./audit";
import type { Actor, WorkspaceCaller } from "@/server/auth/access";

function isUniqueViolation(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    if ((e as { code?: string }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export async function createWorkspace(db: Db, actor: Actor, input: { name: string; slug: string }) {
  if (actor.type !== "user" || !actor.id)
    throw new AppError("FORBIDDEN", "Only signed-in users can create workspaces.");
  const userId = actor.id;
  try {
    return await db.transaction(async (tx) => {
      const [ws] = await tx.insert(workspaces).values({ name: input.name, slug: input.slug }).returning();
      await tx.insert(memberships).values({ workspaceId: ws.id, userId, role: "owner" });
      await recordAudit(tx, {
        action: "workspace.created",
        actor,
        workspaceId: ws.id,
        target: { type: "workspace", id: ws.id },
        metadata: { name: ws.name, slug: ws.slug },
      });
      return ws;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError("CONFLICT", `The slug "${input.slug}" is already taken; choose another.`);
    throw err;
  }
}

export async function renameWorkspace(db: Db, caller: WorkspaceCaller, name: string) {
  return db.transaction(async (tx) => {
    const [ws] = await tx.update(workspaces).set({ name }).where(eq(workspaces.id, caller.workspaceId)).returning();
    if (!ws) throw new AppError("NOT_FOUND", "Workspace not found.");
    await recordAudit(tx, {
      action: "workspace.renamed",
      actor: caller.actor,
      workspaceId: ws.id,
      target: { type: "workspace", id: ws.id },
      metadata: { name },
    });
    return ws;
  });
}

export async function deleteWorkspace(db: Db, caller: WorkspaceCaller, confirmSlug: string) {
  await db.transaction(async (tx) => {
    const [ws] = await tx.select().from(workspaces).where(eq(workspaces.id, caller.workspaceId)).limit(1);
    if (!ws) throw new AppError("NOT_FOUND", "Workspace not found.");
    if (ws.slug !== confirmSlug)
      throw new AppError("INVALID_INPUT", `Type the workspace slug "${ws.slug}" to confirm deletion.`);
    await recordAudit(tx, {
      action: "workspace.deleted",
      actor: caller.actor,
      workspaceId: ws.id,
      target: { type: "workspace", id: ws.id },
      metadata: { slug: ws.slug },
    });
    await tx.delete(workspaces).where(eq(workspaces.id, ws.id));
  });
}

export async function transferOwnership(db: Db, caller: WorkspaceCaller, toUserId: string) {
  const fromUserId = caller.actor.userId ?? caller.actor.id;
  if (caller.actor.type !== "user" || !fromUserId)
    throw new AppError("FORBIDDEN", "Only the owner, signed in, can transfer ownership.");
  if (toUserId === fromUserId) throw new AppError("INVALID_INPUT", "You already own this workspace.");
  await db.transaction(async (tx) => {
    const target = await getMembership(tx, { workspaceId: caller.workspaceId, userId: toUserId });
    if (!target) throw new AppError("NOT_FOUND", "That person is not a member of this workspace.");
    await tx
      .update(memberships)
      .set({ role: "owner" })
      .where(and(eq(memberships.workspaceId, caller.workspaceId), eq(memberships.userId, toUserId)));
    await tx
      .update(memberships)
      .set({ role: "admin" })
      .where(and(eq(memberships.workspaceId, caller.workspaceId), eq(memberships.userId, fromUserId)));
    const affectedApiKeys = await keysAffectedByRoleChange(tx, {
      workspaceId: caller.workspaceId,
      userId: fromUserId,
      from: "owner",
      to: "admin",
    });
    await recordAudit(tx, {
      action: "workspace.ownership_transferred",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "user", id: toUserId },
      metadata: { from: fromUserId, to: toUserId, previousRole: target.role, affectedApiKeys },
    });
  });
}

export async function leaveWorkspace(db: Db, caller: WorkspaceCaller) {
  const userId = caller.actor.id;
  if (caller.actor.type !== "user" || !userId) throw new AppError("FORBIDDEN", "Only members can leave a workspace.");
  await db.transaction(async (tx) => {
    const me = await getMembership(tx, { workspaceId: caller.workspaceId, userId });
    if (!me) throw new AppError("NOT_FOUND", "Workspace not found.");
    if (me.role === "owner" && (await countOwners(tx, caller.workspaceId)) <= 1) {
      throw new AppError(
        "CONFLICT",
        "You are the last owner: transfer ownership or delete the workspace before leaving.",
      );
    }
    await tx
      .delete(memberships)
      .where(and(eq(memberships.workspaceId, caller.workspaceId), eq(memberships.userId, userId)));
    const affectedApiKeys = await keysAffectedByRoleChange(tx, {
      workspaceId: caller.workspaceId,
      userId,
      from: me.role,
      to: null,
    });
    await recordAudit(tx, {
      action: "member.left",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "user", id: userId },
      metadata: { affectedApiKeys },
    });
    await revokeKeysOfDepartedCreator(tx, caller.actor, caller.workspaceId, affectedApiKeys);
  });
}
