import "server-only";
/** Member role changes and removal, with the rules: nobody changes their own role, nobody grants above their own rank, owners change only by transfer, the last owner stays. */
import { and, count, eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { ROLE_RANK, type Role } from "@/lib/roles";
import type { Db } from "@/server/db";
import { memberships } from "@/server/db/schema";
import { countOwners, getMembership } from "@/server/db/queries/workspaces";
import { keysAffectedByRoleChange, revokeKeysOfDepartedCreator } from "@/server/auth/api-keys";
import { endAllSessions } from "@/server/auth/sessions";
import { recordAudit } from "./audit";
import type { WorkspaceCaller } from "@/server/auth/access";

function callerRank(caller: WorkspaceCaller): number {
  // API keys with the admin scope act with admin rank.
  return caller.role ? ROLE_RANK[caller.role] : ROLE_RANK.admin;
}

export async function updateMemberRole(db: Db, caller: WorkspaceCaller, userId: string, role: Role) {
  if (caller.actor.type === "user" && caller.actor.id === userId) {
    throw new AppError("FORBIDDEN", "You cannot change your own role.");
  }
  if (role === "owner")
    throw new AppError("FORBIDDEN", "Owners are made by transferring ownership, not by changing a role.");
  if (ROLE_RANK[role] > callerRank(caller)) throw new AppError("FORBIDDEN", `Your role cannot grant the ${role} role.`);
  return db.transaction(async (tx) => {
    const target = await getMembership(tx, { workspaceId: caller.workspaceId, userId });
    if (!target) throw new AppError("NOT_FOUND", "That person is not a member of this workspace.");
    if (target.role === "owner")
      throw new AppError("FORBIDDEN", "An owner's role changes only by transferring ownership.");
    if (ROLE_RANK[target.role] > callerRank(caller))
      throw new AppError("FORBIDDEN", "You cannot change the role of someone above you.");
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.workspaceId, caller.workspaceId), eq(memberships.userId, userId)));
    // The member's API keys act with at most their new role (checked on every request); record which lost what.
    const affectedApiKeys = await keysAffectedByRoleChange(tx, {
      workspaceId: caller.workspaceId,
      userId,
      from: target.role,
      to: role,
    });
    await recordAudit(tx, {
      action: "member.role_changed",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "user", id: userId },
      metadata: { from: target.role, to: role, affectedApiKeys },
    });
    return { userId, role };
  });
}

export async function removeMember(db: Db, caller: WorkspaceCaller, userId: string) {
  if (caller.actor.type === "user" && caller.actor.id === userId) {
    throw new AppError("INVALID_INPUT", "Use “Leave workspace” to remove yourself.");
  }
  await db.transaction(async (tx) => {
    const target = await getMembership(tx, { workspaceId: caller.workspaceId, userId });
    if (!target) throw new AppError("NOT_FOUND", "That person is not a member of this workspace.");
    if (ROLE_RANK[target.role] > callerRank(caller))
      throw new AppError("FORBIDDEN", "You cannot remove someone above you.");
    if (target.role === "owner" && (await countOwners(tx, caller.workspaceId)) <= 1) {
      throw new AppError("CONFLICT", "The last owner cannot be removed.");
    }
    await tx
      .delete(memberships)
      .where(and(eq(memberships.workspaceId, caller.workspaceId), eq(memberships.userId, userId)));
    const affectedApiKeys = await keysAffectedByRoleChange(tx, {
      workspaceId: caller.workspaceId,
      userId,
      from: target.role,
      to: null,
    });
    await recordAudit(tx, {
      action: "member.removed",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "user", id: userId },
      metadata: { role: target.role, affectedApiKeys },
    });
    await revokeKeysOfDepartedCreator(tx, caller.actor, caller.workspaceId, affectedApiKeys);
    // Removed from their last workspace: nothing left to be signed in for, so their sessions end.
    const [remaining] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.userId, userId));
    if ((remaining?.n ?? 0) === 0) await endAllSessions(tx, userId);
  });
}
