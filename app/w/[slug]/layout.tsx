import type { ReactNode } from "react";
import { AppHeader } from "@/components/workspace/app-header";
import { WorkspaceProvider } from "@/components/workspace/workspace-context";
import { WorkspaceNav } from "@/components/workspace/workspace-nav";
import { WorkspaceSwitcher } from "@/components/workspace/workspace-switcher";
import { Badge, roleTone } from "@/components/ui/badge";
import { listWorkspacesForUser } from "@/server/db/queries/workspaces";
import { signOutAction, signOutEverywhereAction } from "../actions";
import { workspaceForPage } from "./workspace-for-page";

export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { db, user, workspace, role } = await workspaceForPage(slug);
  const all = await listWorkspacesForUser(db, user.id);
  const info = { id: workspace.id, slug: workspace.slug, name: workspace.name, role };
  return (
    <WorkspaceProvider workspace={info}>
      <div data-testid="workspace-shell" data-workspace-id={workspace.id} data-role={role}>
        <AppHeader email={user.email} signOutAction={signOutAction} signOutEverywhereAction={signOutEverywhereAction}>
          <WorkspaceSwitcher current={workspace.slug} workspaces={all} />
          <Badge tone={roleTone(role)} data-testid="workspace-role">
            {role}
          </Badge>
        </AppHeader>
        <div className="border-b border-slate-200 bg-white">
          <div className="mx-auto max-w-6xl px-6 py-2">
            <WorkspaceNav />
          </div>
        </div>
        <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
      </div>
    </WorkspaceProvider>
  );
}
