import "server-only";
/**
 * API keys: `sl_<8 chars>_<43 chars>` — 256 random bits in all, recognisable prefix, shown once,
 * stored as SHA-256 (a fast hash is right for a high-entropy secret). Scopes map onto the same
 * permission strings as roles (lib/roles.ts). Revocation and expiry apply on the next request.
 * A key acts for its creator: its effective permissions are its scopes' permissions that the
 * creator's *current* role in the key's workspace also has, and a key whose creator is no longer
 * a member there stops working.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { ROLE_PERMISSIONS, SCOPE_PERMISSIONS, type ApiKeyScope, type Permission, type Role } from "@/lib/roles";
import type { Db, DbOrTx } from "@/server/db";
import { apiKeys, memberships, workspaces } from "@/server/db/schema";
import { recordAudit } from "@/server/services/audit";
import { consumeLimit, type LimitState } from "@/server/services/rate-limit";
import type { Actor, ApiKeyPrincipal, WorkspaceCaller } from "@/server/auth/access";

const KEY_PATTERN = /^sl_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");
const ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomAlphanum(n: number): string {
  const bytes = randomBytes(n * 2);
  let out = "";
  for (let i = 0; out.length < n && i < bytes.length; i++) {
    if (bytes[i] < 248) out += ALPHANUM[bytes[i] % 62];
  }
  return out.length === n ? out : randomAlphanum(n);
}

export function permissionsForScopes(scopes: readonly ApiKeyScope[]): Permission[] {
  return [...new Set(scopes.flatMap((s) => SCOPE_PERMISSIONS[s]))];
}

/** What a key may do: its scopes' permissions that its creator's role (null: not a member) also grants. */
export function effectiveKeyPermissions(scopes: readonly ApiKeyScope[], creatorRole: Role | null): Permission[] {
  if (!creatorRole) return [];
  const allowed = new Set<Permission>(ROLE_PERMISSIONS[creatorRole]);
  return permissionsForScopes(scopes).filter((p) => allowed.has(p));
}

export interface CreatedKey {
  id: string;
  name: string;
  prefix: string;
  /** The full key: returned once, never stored. */
  key: string;
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
}

export async function createApiKey(
  db: Db,
  caller: WorkspaceCaller,
  input: { name: string; scopes: ApiKeyScope[]; expiresInDays?: number | null },
  now = new Date(),
): Promise<CreatedKey> {
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw new AppError("INVALID_INPUT", "Choose at least one scope: read, run or admin.");
  const prefix = `sl_${randomAlphanum(8)}`;
  const key = `${prefix}_${randomBytes(32).toString("base64url")}`;
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        workspaceId: caller.workspaceId,
        name: input.name,
        prefix,
        keyHash: hashKey(key),
        scopes,
        createdBy: caller.actor.userId ?? (caller.actor.type === "user" ? caller.actor.id : null),
        createdByLabel: caller.actor.label,
        expiresAt,
      })
      .returning();
    await recordAudit(tx, {
      action: "api_key.created",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "api_key", id: row.id },
      metadata: { name: row.name, prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { id: row.id, name: row.name, prefix, key, scopes, expiresAt };
  });
}

export async function listApiKeys(db: DbOrTx, workspaceId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdBy: apiKeys.createdByLabel,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt));
}

/** Revoke by id within a workspace (UI) or by prefix anywhere (operator CLI: pass workspaceId null). */
export async function revokeApiKey(
  db: Db,
  actor: Actor,
  by: { workspaceId: string | null; id?: string; prefix?: string },
) {
  return db.transaction(async (tx) => {
    const conditions = [isNull(apiKeys.revokedAt)];
    if (by.workspaceId) conditions.push(eq(apiKeys.workspaceId, by.workspaceId));
    if (by.id) conditions.push(eq(apiKeys.id, by.id));
    else if (by.prefix) conditions.push(eq(apiKeys.prefix, by.prefix));
    else throw new AppError("INVALID_INPUT", "Name the key to revoke by id or prefix.");
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(...conditions))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "No active API key matches.");
    await recordAudit(tx, {
      action: "api_key.revoked",
      actor,
      workspaceId: row.workspaceId,
      target: { type: "api_key", id: row.id },
      metadata: { prefix: row.prefix, name: row.name },
    });
    return { id: row.id, prefix: row.prefix, workspaceId: row.workspaceId };
  });
}

export interface KeyAuthResult {
  actor: Actor;
  apiKey: ApiKeyPrincipal;
  limit: LimitState;
  workspaceSlug: string;
}

/** Authenticate `Authorization: Bearer <key>`; throws UNAUTHORIZED with a sentence saying what is wrong. */
export async function authenticateApiKey(
  db: Db,
  authorization: string,
  ip: string | null,
  now = new Date(),
): Promise<KeyAuthResult> {
  const header = authorization.trim();
  if (!/^Bearer\s+/i.test(header)) {
    throw new AppError(
      "UNAUTHORIZED",
      "The Authorization header must be `Bearer <api key>` — did you forget 'Bearer '?",
    );
  }
  const key = header.replace(/^Bearer\s+/i, "").trim();
  if (!KEY_PATTERN.test(key))
    throw new AppError("UNAUTHORIZED", "That is not a Strategy Lab API key (they start with sl_).");
  const [row] = await db
    .select({ key: apiKeys, slug: workspaces.slug, creatorRole: memberships.role })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .leftJoin(
      memberships,
      and(eq(memberships.workspaceId, apiKeys.workspaceId), eq(memberships.userId, apiKeys.createdBy)),
    )
    .where(eq(apiKeys.keyHash, hashKey(key)))
    .limit(1);
  if (!row) throw new AppError("UNAUTHORIZED", "Unknown API key.");
  if (row.key.revokedAt) throw new AppError("UNAUTHORIZED", "This API key was revoked.");
  if (row.key.expiresAt && row.key.expiresAt <= now) throw new AppError("UNAUTHORIZED", "This API key has expired.");
  if (!row.creatorRole)
    throw new AppError(
      "UNAUTHORIZED",
      "This API key's creator is no longer a member of its workspace, so the key no longer works.",
    );
  const limit = await consumeLimit(db, "api-key", row.key.id, {
    points: env().LAB_API_KEY_RPM,
    durationSeconds: 60,
    message: "This API key is over its request limit.",
  });
  if (!row.key.lastUsedAt || now.getTime() - row.key.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.key.id));
  }
  const apiKey: ApiKeyPrincipal = {
    id: row.key.id,
    workspaceId: row.key.workspaceId,
    permissions: effectiveKeyPermissions(row.key.scopes, row.creatorRole),
  };
  const actor: Actor = {
    type: "api_key",
    id: row.key.id,
    label: `${row.key.name} (${row.key.prefix})`,
    userId: row.key.createdBy,
    ip,
  };
  return { actor, apiKey, limit, workspaceSlug: row.slug };
}

/** A key touched by a member's role change or departure, as recorded in the audit trail. */
export interface AffectedKey {
  id: string;
  prefix: string;
  name: string;
  /** Permissions the key no longer has. */
  lost: Permission[];
}

/**
 * Active keys that `userId` created in the workspace and that lose permissions when the
 * creator's role goes from `from` to `to` (null: the creator leaves; such keys are revoked).
 */
export async function keysAffectedByRoleChange(
  tx: DbOrTx,
  q: { workspaceId: string; userId: string; from: Role; to: Role | null; now?: Date },
): Promise<AffectedKey[]> {
  const now = q.now ?? new Date();
  const rows = await tx
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.workspaceId, q.workspaceId), eq(apiKeys.createdBy, q.userId), isNull(apiKeys.revokedAt)));
  const out: AffectedKey[] = [];
  for (const k of rows) {
    if (k.expiresAt && k.expiresAt <= now) continue;
    const after = new Set(effectiveKeyPermissions(k.scopes, q.to));
    const lost = effectiveKeyPermissions(k.scopes, q.from).filter((p) => !after.has(p));
    if (lost.length > 0) out.push({ id: k.id, prefix: k.prefix, name: k.name, lost });
  }
  return out;
}

/** Revoke the keys a departing member created (inside the caller's transaction), auditing each. */
export async function revokeKeysOfDepartedCreator(
  tx: DbOrTx,
  actor: Actor,
  workspaceId: string,
  keys: readonly AffectedKey[],
): Promise<void> {
  for (const k of keys) {
    await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, k.id), isNull(apiKeys.revokedAt)));
    await recordAudit(tx, {
      action: "api_key.revoked",
      actor,
      workspaceId,
      target: { type: "api_key", id: k.id },
      metadata: { prefix: k.prefix, name: k.name, reason: "creator_left_workspace" },
    });
  }
}
