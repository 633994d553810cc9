import type { Metadata } from "next";
import { LabView, type LabInitial } from "@/components/lab/lab-view";
import type { ParamSpecJson } from "@/components/lab/types";
import { runnableUniverses } from "@/server/data/universes";
import { getVersion } from "@/server/services/strategies";
import { workspaceForPage } from "../workspace-for-page";
import { isUuid } from "@/lib/schemas/ids";

export const metadata: Metadata = { title: "Lab" };
export const dynamic = "force-dynamic";

export default async function LabPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ strategy?: string }>;
}) {
  const { slug } = await params;
  const { strategy } = await searchParams;
  const { db, workspace } = await workspaceForPage(slug);
  let initial: LabInitial | null = null;
  if (strategy && isUuid(strategy)) {
    const found = await getVersion(db, workspace.id, strategy).catch(() => null);
    if (found)
      initial = {
        strategyId: found.strategy.id,
        version: found.version.version,
        code: found.version.code,
        params: found.version.params as Record<string, ParamSpecJson>,
      };
  }
  const universes = await runnableUniverses(db, workspace.id);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Strategy Lab</h1>
        <p className="text-sm text-slate-500">
          Describe a trading idea, watch the code being written and validated, then backtest it. Demo universes are
          synthetic data.
        </p>
      </div>
      <LabView universes={universes} initial={initial} />
    </div>
  );
}
