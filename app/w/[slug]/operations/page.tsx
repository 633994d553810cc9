import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { OperationsView } from "@/components/workspace/operations-view";
import { workspaceOperations } from "@/server/ops/workspace-operations";
import { mayOnPage, workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Operations" };
export const dynamic = "force-dynamic";

/** This workspace's slice of the operational figures, for its owners and admins. */
export default async function OperationsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await workspaceForPage(slug);
  if (!(await mayOnPage(slug, "settings.manage"))) {
    return (
      <EmptyState title="Only owners and admins can see Operations" data-testid="operations-forbidden">
        Ask an owner or admin of {workspace.name} about run failures or queue delays.
      </EmptyState>
    );
  }
  const ops = await workspaceOperations(db, workspace.id);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Operations</h1>
      <OperationsView ops={ops} />
    </div>
  );
}
