import type { Metadata } from "next";
import Link from "next/link";
import { RunsView } from "@/components/runs/runs-view";
import { runnableUniverses } from "@/server/data/universes";
import { workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Runs" };
export const dynamic = "force-dynamic";

export default async function RunsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await workspaceForPage(slug);
  const universes = await runnableUniverses(db, workspace.id);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Runs</h1>
          <p className="text-sm text-slate-600">
            Backtests, screens and alert evaluations run in the background; this list updates live.
          </p>
        </div>
        <Link
          href={`/w/${slug}/runs/compare`}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100"
          data-testid="compare-runs-link"
        >
          Compare runs
        </Link>
      </div>
      <RunsView universes={universes} />
    </div>
  );
}
