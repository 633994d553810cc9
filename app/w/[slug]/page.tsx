import type { Metadata } from "next";
import { WorkspaceOverview } from "@/components/workspace/workspace-overview";
import { listMembers } from "@/server/db/queries/workspaces";
import { workspaceForPage } from "./workspace-for-page";

export const metadata: Metadata = { title: "Overview" };

export default async function WorkspaceOverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace, role } = await workspaceForPage(slug);
  const members = await listMembers(db, workspace.id);
  return <WorkspaceOverview name={workspace.name} slug={workspace.slug} role={role} memberCount={members.length} />;
}
