"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/providers/trpc-provider";
import { PublishReportButton } from "@/components/reports/publish-report-button";
import { usePanelShortcuts } from "@/components/lab/use-shortcuts";
import { Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError } from "@/components/ui/form-error";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { settled } from "./format";
import { RunFacts } from "./run-facts";
import { RunProgress } from "./run-progress";
import { RunResult } from "./run-result";
import { StaleNotice, staleOf } from "./stale-notice";
import { ImproveLive } from "@/components/improve/improve-live";
import { OptimizeLive } from "@/components/optimize/optimize-live";
import { RunStatusBadge } from "./run-status-badge";
import { tagRunResult } from "@/lib/runs/kinds";
import { isActive } from "./types";
import { useRunWatch } from "./use-run-watch";

/** A run's page: live status and progress, Cancel, the error of a failed run, and its result. */
export function RunDetail({ runId }: { runId: string }) {
  usePanelShortcuts();
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { run, status, progress, error, loadError, streamError } = useRunWatch(runId);
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSuccess: (row) => queryClient.setQueryData(trpc.runs.get.queryKey({ workspaceId: ws.id, runId }), row),
    }),
  );
  if (loadError) return <FormError message={loadError} testId="run-load-error" />;
  if (!run || !status || !progress) return <p className="text-sm text-slate-500">Loading run…</p>;
  const { input } = run;
  const result = tagRunResult(run.kind, run.result);
  const cancelling = Boolean(run.cancelRequestedAt) && isActive(status);

  return (
    <div className="flex flex-col gap-6" data-testid="run-detail" data-run-id={run.id} data-kind={run.kind}>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <Link href={`/w/${ws.slug}/runs`} className="text-sm text-slate-500 hover:underline">
            ← Runs
          </Link>
          <h1 className="mt-1 flex items-center gap-3 text-2xl font-semibold tracking-tight">
            <span className="capitalize">{run.kind}</span> ·{" "}
            {input.kind === "hydrate" ? input.hydrate.provider : (input.strategyName ?? "strategy")}
            <RunStatusBadge status={status} />
          </h1>
        </div>
        <div className="flex items-center gap-3">
          {isActive(status) && ws.can("runs.create") ? (
            cancelling ? (
              <span className="text-sm text-amber-700" data-testid="run-cancelling">
                Cancelling…
              </span>
            ) : (
              <ConfirmButton
                testId="run-cancel"
                question="Cancel this run?"
                confirmLabel="Cancel run"
                disabled={cancel.isPending}
                onConfirm={() => cancel.mutateAsync({ workspaceId: ws.id, runId }).then(settled, settled)}
              >
                Cancel
              </ConfirmButton>
            )
          ) : null}
          {run.kind === "backtest" && status === "succeeded" ? <PublishReportButton runId={run.id} /> : null}
        </div>
      </div>
      <FormError message={cancel.error?.message} />
      <Card data-panel="run">
        <RunProgress status={status} progress={progress} />
        {streamError && isActive(status) ? (
          <p className="mt-2 text-xs text-amber-700">
            Live updates interrupted ({streamError}); refreshing every few seconds instead.
          </p>
        ) : null}
        <RunFacts run={run} />
      </Card>
      {status === "failed" ? (
        <div
          role="alert"
          data-testid="run-error"
          className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-800"
        >
          <p className="font-medium">The run failed.</p>
          <p className="mt-1 whitespace-pre-wrap">{error ?? "No error message was recorded."}</p>
        </div>
      ) : null}
      {status === "cancelled" ? (
        <p className="text-sm text-amber-700" data-testid="run-cancelled">
          This run was cancelled{run.finishedAt ? "" : " and is stopping"}; it has no result.
        </p>
      ) : null}
      {run.kind === "improve" && isActive(status) ? <ImproveLive runId={run.id} /> : null}
      {input.kind === "optimize" && isActive(status) ? (
        <Card data-panel="optimize-live">
          <OptimizeLive runId={run.id} active study={input.study} startedAt={run.startedAt} />
        </Card>
      ) : null}
      {status === "succeeded" && result ? <StaleNotice stale={staleOf(result)} /> : null}
      {status === "succeeded" && result ? (
        <RunResult
          run={result}
          runId={run.id}
          strategyId={run.input.strategyId ?? undefined}
          version={run.input.version ?? undefined}
        />
      ) : null}
    </div>
  );
}
