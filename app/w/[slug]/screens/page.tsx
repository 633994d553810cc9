import type { Metadata } from "next";
import { ScreensView } from "@/components/screens/screens-view";
import { runnableUniverses } from "@/server/data/universes";
import { workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Screens" };
export const dynamic = "force-dynamic";

export default async function ScreensPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await workspaceForPage(slug);
  const universes = await runnableUniverses(db, workspace.id);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Screens</h1>
        <p className="text-sm text-slate-500">
          Saved screens rank a universe by a strategy&apos;s latest signal. Each run is kept, with its ranked table and
          a CSV export.
        </p>
      </div>
      <ScreensView universes={universes} />
    </div>
  );
}
