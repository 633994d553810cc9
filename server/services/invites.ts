import "server-only";
/**
 * Invitation links: a random 256-bit token shown once in the link; only its SHA-256 is stored.
 * Single use (the accepting UPDATE claims it atomically), expiring, revocable.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { ROLE_RANK, type Role } from "@/lib/roles";
import type { Db } from "@/server/db";
import { invites, memberships, workspaces } from "@/server/db/schema";
import { getMembership } from "@/server/db/queries/workspaces";
import { recordAudit } from "./audit";
import type { Actor, WorkspaceCaller } from "@/server/auth/access";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const INVALID = "This invite link is invalid. Ask for a new one.";

export async function createInvite(
  db: Db,
  caller: WorkspaceCaller,
  input: { role: Role; expiresInDays: number },
  now = new Date(),
) {
  const rank = caller.role ? ROLE_RANK[caller.role] : ROLE_RANK.admin;
  if (input.role === "owner")
    throw new AppError("FORBIDDEN", "Invites cannot make owners; transfer ownership instead.");
  if (ROLE_RANK[input.role] > rank) throw new AppError("FORBIDDEN", `Your role cannot invite a ${input.role}.`);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .insert(invites)
      .values({
        workspaceId: caller.workspaceId,
        role: input.role,
        tokenHash: hashToken(token),
        createdBy: caller.actor.userId ?? (caller.actor.type === "user" ? caller.actor.id : null),
        expiresAt,
      })
      .returning();
    await recordAudit(tx, {
      action: "invite.created",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "invite", id: invite.id },
      metadata: { role: input.role, expiresAt: expiresAt.toISOString() },
    });
    return { id: invite.id, token, role: invite.role, expiresAt };
  });
}

export async function listInvites(db: Db, workspaceId: string) {
  return db
    .select({
      id: invites.id,
      role: invites.role,
      expiresAt: invites.expiresAt,
      usedAt: invites.usedAt,
      revokedAt: invites.revokedAt,
      createdAt: invites.createdAt,
    })
    .from(invites)
    .where(eq(invites.workspaceId, workspaceId))
    .orderBy(desc(invites.createdAt))
    .limit(100);
}

export async function revokeInvite(db: Db, caller: WorkspaceCaller, inviteId: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invites.id, inviteId),
          eq(invites.workspaceId, caller.workspaceId),
          isNull(invites.usedAt),
          isNull(invites.revokedAt),
        ),
      )
      .returning({ id: invites.id });
    if (!row) throw new AppError("NOT_FOUND", "No open invite with that id in this workspace.");
    await recordAudit(tx, {
      action: "invite.revoked",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "invite", id: inviteId },
    });
  });
}

/** What an invite link offers (for the accept page), without using it. */
export async function previewInvite(db: Db, token: string, now = new Date()) {
  const [row] = await db
    .select({ invite: invites, workspaceName: workspaces.name, workspaceSlug: workspaces.slug })
    .from(invites)
    .innerJoin(workspaces, eq(workspaces.id, invites.workspaceId))
    .where(eq(invites.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", INVALID);
  const { invite } = row;
  const state = invite.revokedAt ? "revoked" : invite.usedAt ? "used" : invite.expiresAt <= now ? "expired" : "open";
  return {
    workspaceName: row.workspaceName,
    workspaceSlug: row.workspaceSlug,
    role: invite.role,
    expiresAt: invite.expiresAt,
    state,
  };
}

export async function acceptInvite(db: Db, actor: Actor, token: string, now = new Date()) {
  if (actor.type !== "user" || !actor.id) throw new AppError("UNAUTHORIZED", "Sign in to accept an invite.");
  const userId = actor.id;
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select()
      .from(invites)
      .where(eq(invites.tokenHash, hashToken(token)))
      .limit(1);
    if (!found) throw new AppError("NOT_FOUND", INVALID);
    if (found.revokedAt) throw new AppError("CONFLICT", "This invite was revoked. Ask for a new one.");
    if (found.usedAt) throw new AppError("CONFLICT", "This invite has already been used. Ask for a new one.");
    if (found.expiresAt <= now) throw new AppError("CONFLICT", "This invite has expired. Ask for a new one.");
    if (await getMembership(tx, { workspaceId: found.workspaceId, userId })) {
      throw new AppError("CONFLICT", "You are already a member of this workspace.");
    }
    // Claim the invite atomically: a concurrent accept finds usedAt set and gets nothing back.
    const [claimed] = await tx
      .update(invites)
      .set({ usedAt: now, usedBy: userId })
      .where(
        and(eq(invites.id, found.id), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)),
      )
      .returning();
    if (!claimed) throw new AppError("CONFLICT", "This invite has already been used. Ask for a new one.");
    await tx.insert(memberships).values({ workspaceId: claimed.workspaceId, userId, role: claimed.role });
    await recordAudit(tx, {
      action: "invite.accepted",
      actor,
      workspaceId: claimed.workspaceId,
      target: { type: "invite", id: claimed.id },
      metadata: { role: claimed.role, userId },
    });
    const [ws] = await tx.select().from(workspaces).where(eq(workspaces.id, claimed.workspaceId)).limit(1);
    return { workspaceId: claimed.workspaceId, slug: ws?.slug ?? "", role: claimed.role };
  });
}
