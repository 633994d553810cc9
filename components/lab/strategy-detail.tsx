"use client";
/** One strategy: its latest code (editable by writers), its versions with a diff view and restore. */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { ImproveButton } from "@/components/improve/improve-form";
import { StrategyStudies } from "@/components/optimize/strategy-studies";
import { VersionCompareForm } from "@/components/compare/version-compare-form";
import type { UniverseOption } from "@/components/runs/universe-select";
import { LazyCodeEditor, LazyDiffView } from "./lazy-editors";

export interface VersionRow {
  version: number;
  code: string;
  source: string;
  note: string | null;
  createdAt: string;
  generation: { prompt?: string; model?: string; attempts?: number; tokenUsage?: { totalTokens?: number } } | null;
}

export function StrategyDetail({
  strategy,
  versions,
  universes,
}: {
  strategy: { id: string; name: string; description: string; state: string; latestVersion: number };
  versions: VersionRow[];
  universes?: readonly UniverseOption[];
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const canWrite = ws.can("strategies.write");
  const latest = versions[0];
  const [code, setCode] = useState(latest?.code ?? "");
  const [compare, setCompare] = useState<number | null>(versions[1]?.version ?? null);
  const save = useMutation(trpc.strategies.saveVersion.mutationOptions({ onSuccess: () => router.refresh() }));
  const restore = useMutation(trpc.strategies.restore.mutationOptions({ onSuccess: () => router.refresh() }));
  const other = versions.find((v) => v.version === compare);

  return (
    <div className="flex flex-col gap-6" data-testid="strategy-detail">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{strategy.name}</h1>
          <p className="text-sm text-slate-500">{strategy.description}</p>
          <p className="text-xs text-slate-500">
            {strategy.state} · version {strategy.latestVersion}
          </p>
        </div>
        <Link href={`/w/${ws.slug}/lab?strategy=${strategy.id}`} className={buttonClass("secondary")}>
          Open in the Lab
        </Link>
      </div>
      <Card
        title={`Version ${latest?.version ?? "—"}`}
        actions={
          canWrite ? (
            <Button
              size="sm"
              disabled={save.isPending || code === latest?.code}
              onClick={() => save.mutate({ workspaceId: ws.id, strategyId: strategy.id, code })}
            >
              Save as new version
            </Button>
          ) : null
        }
      >
        {save.error ? <p className="mb-2 text-sm text-red-700">{save.error.message}</p> : null}
        <LazyCodeEditor value={code} onChange={setCode} readOnly={!canWrite} />
      </Card>
      {latest && universes && ws.can("runs.create") ? (
        <Card
          title="Improve"
          description="Rewrite this version from its own results: each iteration patches, checks, tunes and validates; accepted changes become new versions. The best iteration is chosen on validation and reported on a holdout no iteration saw."
        >
          <ImproveButton strategyId={strategy.id} version={latest.version} universes={universes} />
        </Card>
      ) : null}
      <Card
        title="Optimization studies"
        description="This strategy's optimize runs: method, trials evaluated, best in-sample value and status. Resume continues a stopped or finished study with more trials."
      >
        <StrategyStudies strategyId={strategy.id} />
      </Card>
      <Card title="Versions">
        <table className="mb-4 w-full text-left text-sm" data-testid="versions-list">
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} className="border-b border-slate-100">
                <td className="px-2 py-1 font-medium">v{v.version}</td>
                <td className="px-2 py-1 text-xs">{v.source}</td>
                <td className="px-2 py-1 text-xs text-slate-500">
                  {v.generation?.prompt
                    ? `“${v.generation.prompt.slice(0, 80)}” · ${v.generation.model ?? ""} · ${v.generation.tokenUsage?.totalTokens ?? 0} tokens`
                    : (v.note ?? "")}
                </td>
                <td className="px-2 py-1 text-xs text-slate-500">{v.createdAt.slice(0, 16).replace("T", " ")}</td>
                <td className="px-2 py-1 text-right">
                  {v.version !== latest?.version ? (
                    <span className="flex justify-end gap-2">
                      <Button size="sm" variant="ghost" onClick={() => setCompare(v.version)}>
                        Compare
                      </Button>
                      {canWrite ? (
                        <Button
                          size="sm"
                          variant="secondary"
                          disabled={restore.isPending}
                          onClick={() =>
                            restore.mutate({ workspaceId: ws.id, strategyId: strategy.id, version: v.version })
                          }
                        >
                          Restore
                        </Button>
                      ) : null}
                    </span>
                  ) : (
                    <span className="text-xs text-slate-400">current</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {versions.length > 1 ? (
          <div className="mb-4 flex flex-col gap-1">
            <p className="text-xs text-slate-500">
              Compare two versions: their code and the results of each one&apos;s latest backtest.
            </p>
            <VersionCompareForm
              slug={ws.slug}
              strategyId={strategy.id}
              versions={versions.map((v) => v.version)}
              a={versions[1].version}
              b={versions[0].version}
            />
          </div>
        ) : null}
        {other && latest ? (
          <div className="flex flex-col gap-2">
            <p className="text-xs text-slate-500">
              v{other.version} (left) → v{latest.version} (right)
            </p>
            <LazyDiffView original={other.code} modified={latest.code} />
          </div>
        ) : (
          <p className="text-sm text-slate-500">Only one version so far.</p>
        )}
      </Card>
    </div>
  );
}
