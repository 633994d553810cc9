import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { currentUser } from "@/server/auth";
import { getDb } from "@/server/db";
import { getWorkspaceBySlugForUser } from "@/server/db/queries/workspaces";

/**
 * The workspace of a `/w/[slug]` request for the signed-in user (cached per request, so the
 * layout and the page share one lookup). Not a member, or no such slug → 404.
 */
export const workspaceForPage = cache(async (slug: string) => {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/w/${slug}`)}`);
  const db = await getDb();
  const row = await getWorkspaceBySlugForUser(db, { slug, userId: user.id });
  if (!row) notFound();
  return { db, user, workspace: row.workspace, role: row.role };
});
