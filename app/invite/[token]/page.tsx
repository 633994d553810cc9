import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { InvitePreview, toInviteState } from "@/components/workspace/invite-preview";
import { isAppError } from "@/lib/errors";
import { currentUser } from "@/server/auth";
import { getDb } from "@/server/db";
import { getWorkspaceBySlugForUser } from "@/server/db/queries/workspaces";
import { previewInvite } from "@/server/services/invites";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = await getDb();
  let invite: Awaited<ReturnType<typeof previewInvite>> | null = null;
  let problem: string | null = null;
  try {
    if (token.length < 10 || token.length > 200) throw new Error("This invite link is invalid. Ask for a new one.");
    invite = await previewInvite(db, token);
  } catch (err) {
    if (!isAppError(err) && !(err instanceof Error && err.message.startsWith("This invite"))) throw err;
    problem = err instanceof Error ? err.message : "This invite link is invalid.";
  }
  const user = await currentUser();
  const alreadyMember =
    user && invite
      ? (await getWorkspaceBySlugForUser(db, { slug: invite.workspaceSlug, userId: user.id })) !== null
      : false;

  return (
    <AuthCard title="Invitation">
      {invite ? (
        <InvitePreview
          token={token}
          invite={{ ...invite, state: toInviteState(invite.state) }}
          viewer={user ? { email: user.email, alreadyMember } : null}
        />
      ) : (
        <p className="text-sm text-slate-700" data-testid="invite-invalid">
          {problem}
        </p>
      )}
    </AuthCard>
  );
}
