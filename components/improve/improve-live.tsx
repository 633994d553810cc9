"use client";
/** The trace of an improve run while it runs: the iterations finished so far (the run's checkpoint), refreshed every 2 s. */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useWorkspace } from "@/components/workspace/workspace-context";
import type { IterationJson } from "@/lib/improve/types";
import { IterationCard } from "./improve-result";

export function ImproveLive({ runId }: { runId: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const q = useQuery(trpc.runs.get.queryOptions({ workspaceId: ws.id, runId }, { refetchInterval: 2000 }));
  const stored = q.data?.result as { checkpoint?: { iterations?: IterationJson[] } } | null | undefined;
  const iterations = stored?.checkpoint?.iterations ?? [];
  if (iterations.length === 0)
    return (
      <p className="text-sm text-slate-500" data-testid="improve-live-empty">
        The first iteration is running…
      </p>
    );
  return (
    <div className="space-y-4" data-testid="improve-live">
      {iterations.map((it) => (
        <IterationCard key={it.n} it={it} />
      ))}
    </div>
  );
}
