import type { Metadata } from "next";
import { LifecycleBoard } from "@/components/lifecycle/board";
import { can } from "@/lib/roles";
import { lifecycleBoard } from "@/server/services/lifecycle-board";
import { workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Lifecycle" };
export const dynamic = "force-dynamic";

export default async function LifecyclePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace, role } = await workspaceForPage(slug);
  const board = await lifecycleBoard(db, workspace.id);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Lifecycle</h1>
      <LifecycleBoard
        workspaceId={workspace.id}
        slug={workspace.slug}
        canApprove={can(role, "strategies.approve")}
        {...board}
      />
    </div>
  );
}
