import type { Metadata } from "next";
import Link from "next/link";
import { DeleteWorkspaceForm } from "@/components/workspace/delete-workspace-form";
import { RenameWorkspaceForm } from "@/components/workspace/rename-workspace-form";
import { GridLimitForm } from "@/components/optimize/grid-limit-form";
import { RoleMatrixTable } from "@/components/workspace/role-matrix-table";
import { Card } from "@/components/ui/card";
import { mayOnPage, workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace, role } = await workspaceForPage(slug);
  const canDelete = await mayOnPage(slug, "workspace.delete");
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <Link href={`/w/${workspace.slug}/settings/ai`} className="text-sm underline" data-testid="settings-ai-link">
        AI models, provider keys and prompt templates →
      </Link>
      <Card title="General" description={`URL: /w/${workspace.slug}`}>
        <RenameWorkspaceForm />
      </Card>
      <Card title="Optimization" description="Limits for optimization studies in this workspace.">
        <GridLimitForm />
      </Card>
      <Card title="Roles" description="What each role may do in this workspace.">
        <RoleMatrixTable highlight={role} />
      </Card>
      {canDelete ? (
        <Card title="Delete workspace" className="border-red-200">
          <DeleteWorkspaceForm />
        </Card>
      ) : null}
    </div>
  );
}
