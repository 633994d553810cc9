import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { isAppError } from "@/lib/errors";
import type { Permission } from "@/lib/roles";
import { currentUser } from "@/server/auth";
import { authorizeWorkspace, type Principal } from "@/server/auth/access";
import { getDb } from "@/server/db";
import { getWorkspaceBySlug } from "@/server/db/queries/workspaces";

/**
 * The workspace of a `/w/[slug]` request for the signed-in user (cached per request, so the
 * layout and the page share one lookup), checked like every API call (server/auth/access.ts,
 * `workspace.read`). Not a member, or no such slug → 404.
 */
export const workspaceForPage = cache(async (slug: string) => {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/w/${slug}`)}`);
  const db = await getDb();
  const workspace = await getWorkspaceBySlug(db, slug);
  if (!workspace) notFound();
  const principal: Principal = {
    type: "user",
    actor: { type: "user", id: user.id, label: user.email },
    userId: user.id,
  };
  const caller = await authorizeWorkspace(db, principal, workspace.id, "workspace.read").catch((err: unknown) => {
    if (isAppError(err) && (err.code === "NOT_FOUND" || err.code === "FORBIDDEN")) notFound();
    throw err;
  });
  if (!caller.role) notFound();
  return { db, user, workspace, role: caller.role, principal };
});

/** Whether the signed-in member may do `permission` in the page's workspace (the API's own check). */
export async function mayOnPage(slug: string, permission: Permission): Promise<boolean> {
  const { db, workspace, principal } = await workspaceForPage(slug);
  try {
    await authorizeWorkspace(db, principal, workspace.id, permission);
    return true;
  } catch (err) {
    if (isAppError(err) && err.code === "FORBIDDEN") return false;
    throw err;
  }
}
