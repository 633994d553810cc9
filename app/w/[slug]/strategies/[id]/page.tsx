import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { StrategyDetail } from "@/components/lab/strategy-detail";
import { listVersions } from "@/server/services/strategies";
import { getStrategyOrThrow } from "@/server/services/strategies";
import { workspaceForPage } from "../../workspace-for-page";
import { isUuid } from "@/lib/schemas/ids";
import { runnableUniverses } from "@/server/data/universes";

export const metadata: Metadata = { title: "Strategy" };
export const dynamic = "force-dynamic";

export default async function StrategyPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  if (!isUuid(id)) notFound();
  const { db, workspace } = await workspaceForPage(slug);
  const strategy = await getStrategyOrThrow(db, workspace.id, id).catch(() => null);
  if (!strategy) notFound();
  const versions = await listVersions(db, workspace.id, id);
  const universes = await runnableUniverses(db, workspace.id);
  const plain = versions.map((v) => ({
    version: v.version,
    code: v.code,
    source: v.source,
    note: v.note,
    createdAt: v.createdAt.toISOString(),
    generation: v.generation as {
      prompt?: string;
      model?: string;
      attempts?: number;
      tokenUsage?: { totalTokens?: number };
    } | null,
  }));
  return (
    <StrategyDetail
      strategy={{
        id: strategy.id,
        name: strategy.name,
        description: strategy.description,
        state: strategy.state,
        latestVersion: strategy.latestVersion,
      }}
      versions={plain}
      universes={universes}
    />
  );
}
