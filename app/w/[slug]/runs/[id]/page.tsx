import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunDetail } from "@/components/runs/run-detail";
import { workspaceForPage } from "../../workspace-for-page";
import { isUuid } from "@/lib/schemas/ids";

export const metadata: Metadata = { title: "Run" };
export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  if (!isUuid(id)) notFound();
  await workspaceForPage(slug);
  return <RunDetail runId={id} />;
}
