import "server-only";
/**
 * Who is calling and what they may do — the one access check of every entry point:
 *
 *   session cookie or `Authorization: Bearer <key>`  →  Principal      (principalFromRequest)
 *   Principal + workspace id + permission            →  WorkspaceCaller (authorizeWorkspace)
 *
 * tRPC procedures (server/api/trpc.ts workspaceProcedure), REST routes (server/http/rest.ts
 * apiRoute), route handlers (app/api/**) and pages (app/w/[slug]) all go through
 * {@link authorizeWorkspace}. It throws one error shape, an AppError:
 *   UNAUTHORIZED  no principal;
 *   NOT_FOUND     "Workspace not found." — not a member, another workspace's key, or not a UUID
 *                 (an id from another workspace behaves exactly like a missing one);
 *   FORBIDDEN     the role, or the key's permissions, lack the permission (the sentence says which).
 * Each transport maps it once: tRPC codes, REST/route JSON `{ error: { code, message } }`.
 *
 * An API key's permissions are its scopes' permissions that its creator's current role also
 * grants (server/auth/api-keys.ts effectiveKeyPermissions, resolved when the key authenticates).
 */
import { AppError } from "@/lib/errors";
import { can, type Permission, type Role } from "@/lib/roles";
import { uuidSchema } from "@/lib/schemas/ids";
import { authenticateApiKey } from "@/server/auth/api-keys";
import { getDb, type Db, type DbOrTx } from "@/server/db";
import { clientIpFromHeaders } from "@/server/http/client-ip";
import { getMembership } from "@/server/db/queries/workspaces";

/** Who did something, as the audit trail records it. */
export interface Actor {
  type: "user" | "api_key" | "operator" | "system";
  id: string | null;
  label: string | null;
  /** For API keys: the user who created the key. */
  userId?: string | null;
  ip?: string | null;
}

/** An authenticated API key: its workspace and its effective permissions. */
export interface ApiKeyPrincipal {
  id: string;
  workspaceId: string;
  permissions: readonly Permission[];
}

/** An authenticated caller: a signed-in user, or an API key acting for its creator. */
export type Principal =
  { type: "user"; actor: Actor; userId: string } | { type: "api_key"; actor: Actor; apiKey: ApiKeyPrincipal };

/** Who is calling, inside which workspace, with which role (what services receive). */
export interface WorkspaceCaller {
  actor: Actor;
  workspaceId: string;
  /** The member's role; null for API keys (their permissions were checked instead). */
  role: Role | null;
}

/** The principal of a request context (`actor` + `apiKey`, as tRPC and the route handlers hold them). */
export function principalOf(ctx: { actor: Actor | null; apiKey: ApiKeyPrincipal | null }): Principal | null {
  if (!ctx.actor) return null;
  if (ctx.apiKey) return { type: "api_key", actor: ctx.actor, apiKey: ctx.apiKey };
  if (ctx.actor.type === "user" && ctx.actor.id) return { type: "user", actor: ctx.actor, userId: ctx.actor.id };
  return null;
}

const workspaceNotFound = () => new AppError("NOT_FOUND", "Workspace not found.");

/**
 * The caller of `workspaceId` when `principal` may do `permission` there; otherwise throws the
 * AppError described above. `role` is the member's role (null for API keys).
 */
export async function authorizeWorkspace(
  db: DbOrTx,
  principal: Principal | null,
  workspaceId: unknown,
  permission: Permission,
): Promise<WorkspaceCaller> {
  if (!principal) throw new AppError("UNAUTHORIZED", "Sign in (or send an API key) to do this.");
  const id = uuidSchema.safeParse(workspaceId);
  if (!id.success) throw workspaceNotFound();
  if (principal.type === "api_key") {
    if (principal.apiKey.workspaceId !== id.data) throw workspaceNotFound();
    if (!principal.apiKey.permissions.includes(permission)) {
      throw new AppError(
        "FORBIDDEN",
        `This API key does not allow ${permission} (its scopes, limited to what its creator's current role allows).`,
      );
    }
    return { actor: principal.actor, workspaceId: id.data, role: null };
  }
  const membership = await getMembership(db, { workspaceId: id.data, userId: principal.userId });
  if (!membership) throw workspaceNotFound();
  if (!can(membership.role, permission))
    throw new AppError("FORBIDDEN", `Your role (${membership.role}) does not allow ${permission}.`);
  return { actor: principal.actor, workspaceId: id.data, role: membership.role };
}

/** Who sent a request: the database, the client's IP and the actor (null when anonymous). */
export interface RequestIdentity {
  db: Db;
  ip: string | null;
  actor: Actor | null;
  apiKey: ApiKeyPrincipal | null;
}

/**
 * The session or API key of a request: an `Authorization` header means an API key, which must be
 * valid (UNAUTHORIZED / LIMIT_EXCEEDED AppErrors say what is wrong); otherwise the session cookie.
 */
export async function identifyRequest(req: Request): Promise<RequestIdentity> {
  const db = await getDb();
  const ip = clientIpFromHeaders(req.headers);
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const { actor, apiKey } = await authenticateApiKey(db, authorization, ip);
    return { db, ip, actor, apiKey };
  }
  // Loaded on demand: Auth.js needs Next's request scope, which API-key requests never touch.
  const { currentUser } = await import("@/server/auth");
  const user = await currentUser();
  return { db, ip, apiKey: null, actor: user ? { type: "user", id: user.id, label: user.email, ip } : null };
}
