import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AppHeader } from "@/components/workspace/app-header";
import { CreateWorkspaceForm } from "@/components/workspace/create-workspace-form";
import { WorkspaceList } from "@/components/workspace/workspace-list";
import { Card } from "@/components/ui/card";
import { currentUser } from "@/server/auth";
import { getDb } from "@/server/db";
import { listWorkspacesForUser } from "@/server/db/queries/workspaces";
import { signOutAction } from "./actions";

export const metadata: Metadata = { title: "Workspaces" };

export default async function WorkspacesPage() {
  const user = await currentUser();
  if (!user) redirect("/sign-in?callbackUrl=/w");
  const workspaces = await listWorkspacesForUser(await getDb(), user.id);
  return (
    <>
      <AppHeader email={user.email} signOutAction={signOutAction} />
      <main className="mx-auto grid max-w-6xl gap-8 px-6 py-10 md:grid-cols-[1fr_22rem]">
        <section className="flex flex-col gap-4">
          <h1 className="text-2xl font-semibold tracking-tight">Your workspaces</h1>
          <WorkspaceList workspaces={workspaces} />
        </section>
        <Card title="New workspace" description="You become its owner and can invite your team.">
          <CreateWorkspaceForm />
        </Card>
      </main>
    </>
  );
}
