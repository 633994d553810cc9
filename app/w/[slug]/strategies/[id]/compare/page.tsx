import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { compareSideOf } from "@/components/compare/compare-side";
import { CompareView, type CompareSide } from "@/components/compare/compare-view";
import { VersionCompareForm } from "@/components/compare/version-compare-form";
import { LazyDiffView } from "@/components/lab/lazy-editors";
import { formatDateTime } from "@/components/ui/format-date";
import { isUuid } from "@/lib/schemas/ids";
import { latestBacktestOfVersion } from "@/server/services/version-results";
import { getStrategyOrThrow, listVersions } from "@/server/services/strategies";
import { workspaceForPage } from "../../../workspace-for-page";

export const metadata: Metadata = { title: "Compare versions" };
export const dynamic = "force-dynamic";

function versionParam(raw: string | undefined, known: Set<number>): number | undefined {
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return known.has(n) ? n : undefined;
}

/** Two versions of one strategy: the code diff, and the metrics and equity of each one's latest backtest. */
export default async function CompareVersionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; id: string }>;
  searchParams: Promise<{ a?: string; b?: string }>;
}) {
  const { slug, id } = await params;
  if (!isUuid(id)) notFound();
  const q = await searchParams;
  const { db, workspace } = await workspaceForPage(slug);
  const strategy = await getStrategyOrThrow(db, workspace.id, id).catch(() => null);
  if (!strategy) notFound();
  const versions = await listVersions(db, workspace.id, id);
  const known = new Set(versions.map((v) => v.version));
  const a = versionParam(q.a, known) ?? versions[1]?.version;
  const b = versionParam(q.b, known) ?? versions[0]?.version;
  const va = versions.find((v) => v.version === a);
  const vb = versions.find((v) => v.version === b);

  async function side(version: number): Promise<CompareSide | null> {
    const run = await latestBacktestOfVersion(db, workspace.id, id, version);
    if (!run) return null;
    const input = run.input as { universe?: unknown; symbols?: unknown };
    const data =
      typeof input.universe === "string"
        ? input.universe
        : Array.isArray(input.symbols)
          ? `${input.symbols.length} symbols`
          : "";
    return compareSideOf(run.result, {
      id: run.id,
      label: `v${version} · ${data} · ${formatDateTime(new Date(run.createdAt).toISOString())}`,
      href: `/w/${slug}/runs/${run.id}`,
    });
  }
  const [sa, sb] = await Promise.all([va ? side(va.version) : null, vb ? side(vb.version) : null]);
  const missing = [va && !sa ? va.version : null, vb && !sb ? vb.version : null].filter((v) => v !== null);

  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href={`/w/${slug}/strategies/${id}`} className="text-sm text-slate-600 hover:underline">
          ← {strategy.name}
        </Link>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">Compare versions</h1>
        <p className="text-sm text-slate-600">
          The code change between two versions, and the metrics and equity of each version&apos;s latest finished
          backtest.
        </p>
      </div>
      <VersionCompareForm slug={slug} strategyId={id} versions={versions.map((v) => v.version)} a={a} b={b} />
      {versions.length < 2 ? <p className="text-sm text-slate-600">Only one version so far.</p> : null}
      {va && vb ? (
        <section className="flex flex-col gap-2" data-testid="version-diff">
          <h2 className="text-base font-semibold">
            Code: v{va.version} (left) → v{vb.version} (right)
          </h2>
          <LazyDiffView original={va.code} modified={vb.code} />
        </section>
      ) : null}
      {missing.length > 0 ? (
        <p className="text-sm text-slate-600" data-testid="version-no-backtest">
          {missing.map((v) => `v${v}`).join(" and ")} {missing.length > 1 ? "have" : "has"} no finished backtest yet:
          open the version in the{" "}
          <Link href={`/w/${slug}/lab?strategy=${id}&v=${missing[0]}`} className="underline">
            Lab
          </Link>{" "}
          and run it to compare results.
        </p>
      ) : null}
      {sa && sb ? <CompareView a={sa} b={sb} /> : null}
    </div>
  );
}
