import type { Metadata } from "next";
import Link from "next/link";
import { AiSettingsView } from "@/components/ai-settings/ai-settings-view";
import { workspaceForPage } from "../../workspace-for-page";

export const metadata: Metadata = { title: "AI settings" };

export default async function AiSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await workspaceForPage(slug);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href={`/w/${workspace.slug}/settings`} className="text-sm text-slate-500 hover:underline">
          ← Settings
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">AI settings</h1>
      </div>
      <AiSettingsView />
    </div>
  );
}
