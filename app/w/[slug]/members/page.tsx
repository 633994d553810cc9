import type { Metadata } from "next";
import { InviteForm } from "@/components/workspace/invite-form";
import { InvitesList } from "@/components/workspace/invites-list";
import { LeaveWorkspace } from "@/components/workspace/leave-workspace";
import { MembersTable } from "@/components/workspace/members-table";
import { TransferOwnership } from "@/components/workspace/transfer-ownership";
import { Card } from "@/components/ui/card";
import { listMembers } from "@/server/db/queries/workspaces";
import { listInvites } from "@/server/services/invites";
import { mayOnPage, workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, user, workspace } = await workspaceForPage(slug);
  const members = await listMembers(db, workspace.id);
  const [manageInvites, manageMembers, transfer] = await Promise.all([
    mayOnPage(slug, "invites.manage"),
    mayOnPage(slug, "members.manage"),
    mayOnPage(slug, "workspace.transfer"),
  ]);
  const now = new Date();
  const openInvites = manageInvites
    ? (await listInvites(db, workspace.id)).filter((i) => !i.usedAt && !i.revokedAt && i.expiresAt > now)
    : [];
  const others = members.filter((m) => m.userId !== user.id);

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Members</h1>
      <Card
        title={`${members.length} member${members.length === 1 ? "" : "s"}`}
        description={manageMembers ? undefined : "Only admins can change roles or invite people."}
      >
        <MembersTable members={members} currentUserId={user.id} />
      </Card>
      {manageInvites ? (
        <Card
          title="Invite by link"
          description="Choose the role the link grants and how long it stays valid. Each link works once."
          data-testid="invite-card"
        >
          <div className="flex flex-col gap-6">
            <InviteForm />
            <InvitesList invites={openInvites} />
          </div>
        </Card>
      ) : null}
      {transfer ? (
        <Card title="Transfer ownership" description="Hand this workspace to another member.">
          <TransferOwnership candidates={others.map((m) => ({ userId: m.userId, email: m.email }))} />
        </Card>
      ) : null}
      <Card title="Leave workspace" description="You lose access to its strategies and runs.">
        <LeaveWorkspace />
      </Card>
    </div>
  );
}
