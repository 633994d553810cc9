"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { runDuration } from "@/components/runs/format";
import { RunProgress } from "@/components/runs/run-progress";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { isActive } from "@/components/runs/types";
import { tagRunResult } from "@/lib/runs/kinds";
import { formatDateTime } from "@/components/ui/format-date";
import { FormError } from "@/components/ui/form-error";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { ScreenResultsTable } from "./screen-results-table";

/** Past runs of one saved screen (live while any is active) and the ranked table of the chosen one. */
export function ScreenHistory({ screenId }: { screenId: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const history = useQuery(
    trpc.screens.history.queryOptions(
      { workspaceId: ws.id, screenId },
      { refetchInterval: (q) => (q.state.data?.rows.some((r) => isActive(r.status)) ? 1500 : false) },
    ),
  );
  const [picked, setPicked] = useState<string | null>(null);
  const rows = history.data?.rows ?? [];
  const selected = picked ?? rows.find((r) => r.status === "succeeded")?.id ?? null;
  const run = useQuery(
    trpc.runs.get.queryOptions({ workspaceId: ws.id, runId: selected ?? "" }, { enabled: Boolean(selected) }),
  );
  const shown = run.data ? tagRunResult(run.data.kind, run.data.result) : null;

  if (history.error) return <FormError message={history.error.message} />;
  if (history.isPending) return <p className="text-sm text-slate-500">Loading history…</p>;
  if (rows.length === 0)
    return (
      <p className="text-sm text-slate-500" data-testid="screen-history-empty">
        Not run yet.
      </p>
    );
  return (
    <div className="flex flex-col gap-4" data-testid="screen-history">
      <ul className="flex flex-col divide-y divide-slate-100 rounded-md border border-slate-200">
        {rows.map((r) => (
          <li
            key={r.id}
            data-testid="screen-history-row"
            data-run-id={r.id}
            data-status={r.status}
            className={`flex flex-wrap items-center gap-4 px-3 py-2 text-sm ${r.id === selected ? "bg-slate-50" : ""}`}
          >
            <RunStatusBadge status={r.status} testId="screen-run-status" />
            <span className="text-xs text-slate-500">{formatDateTime(r.createdAt)}</span>
            <span className="text-xs tabular-nums text-slate-500">{runDuration(r, history.dataUpdatedAt)}</span>
            <span className="text-xs text-slate-500">{r.origin}</span>
            {isActive(r.status) ? <RunProgress status={r.status} progress={r.progress} compact /> : null}
            {r.status === "failed" && r.error ? <span className="truncate text-xs text-red-700">{r.error}</span> : null}
            <span className="ml-auto flex gap-3">
              {r.status === "succeeded" ? (
                <button
                  type="button"
                  className="text-xs text-sky-700 hover:underline"
                  onClick={() => setPicked(r.id)}
                  data-testid="screen-history-show"
                >
                  Show results
                </button>
              ) : null}
              <Link href={`/w/${ws.slug}/runs/${r.id}`} className="text-xs text-slate-600 hover:underline">
                Run page
              </Link>
            </span>
          </li>
        ))}
      </ul>
      {shown?.kind === "screen" && run.data?.status === "succeeded" ? (
        <ScreenResultsTable result={shown.result} runId={run.data.id} />
      ) : null}
    </div>
  );
}
