"use client";
/** A strategy's optimization studies (its optimize runs) with a Resume button for stopped or finished ones. */
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useWorkspace } from "@/components/workspace/workspace-context";

const STOPPED = new Set(["succeeded", "failed", "cancelled"]);

export function StrategyStudies({ strategyId }: { strategyId: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const [more, setMore] = useState(50);
  const list = useQuery({
    ...trpc.runs.studies.queryOptions({ workspaceId: ws.id, strategyId }),
    refetchInterval: (q) => (q.state.data?.some((s) => !STOPPED.has(s.status)) ? 2000 : false),
  });
  const resume = useMutation(
    trpc.runs.resumeStudy.mutationOptions({ onSuccess: (r) => router.push(`/w/${ws.slug}/runs/${r.runId}`) }),
  );
  const rows = list.data ?? [];
  if (list.isLoading) return <p className="text-sm text-slate-500">Loading studies…</p>;
  if (rows.length === 0) return <p className="text-sm text-slate-500">No optimization studies of this strategy yet.</p>;
  const canRun = ws.can("runs.create");
  return (
    <div className="flex flex-col gap-2">
      {canRun ? (
        <label className="flex items-center gap-2 text-xs text-slate-500">
          Resume with
          <input
            type="number"
            min={1}
            max={100000}
            value={more}
            onChange={(e) => setMore(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
            className="w-20 rounded border border-slate-300 px-1 py-0.5"
            aria-label="more trials"
          />
          more trials (the sampler sees the earlier ones)
        </label>
      ) : null}
      {resume.error ? <p className="text-sm text-red-700">{resume.error.message}</p> : null}
      <table className="w-full text-left text-sm" data-testid="studies-list">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="px-2 py-1">Started</th>
            <th className="px-2 py-1">Version</th>
            <th className="px-2 py-1">Method</th>
            <th className="px-2 py-1 text-right">Trials</th>
            <th className="px-2 py-1 text-right">Best</th>
            <th className="px-2 py-1">Status</th>
            <th className="px-2 py-1 text-right">Action</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.runId} className="border-b border-slate-100">
              <td className="px-2 py-1 text-xs">
                <Link href={`/w/${ws.slug}/runs/${s.runId}`} className="underline">
                  {s.createdAt.slice(0, 16).replace("T", " ")}
                </Link>
                {s.resumeOf ? <span className="ml-1 text-slate-400">(resumed)</span> : null}
              </td>
              <td className="px-2 py-1 text-xs">{s.version !== null ? `v${s.version}` : "—"}</td>
              <td className="px-2 py-1 text-xs">{s.method}</td>
              <td className="px-2 py-1 text-right tabular-nums">{s.nTrials.toLocaleString("en-US")}</td>
              <td className="px-2 py-1 text-right tabular-nums">
                {s.bestValue !== null ? `${s.objective} ${s.bestValue.toFixed(3)}` : "—"}
              </td>
              <td className="px-2 py-1 text-xs">{s.status}</td>
              <td className="px-2 py-1 text-right">
                {canRun && STOPPED.has(s.status) ? (
                  <Button
                    size="sm"
                    variant="secondary"
                    disabled={resume.isPending}
                    onClick={() => resume.mutate({ workspaceId: ws.id, runId: s.runId, trials: more })}
                  >
                    Resume
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
