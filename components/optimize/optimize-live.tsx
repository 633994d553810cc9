"use client";
/**
 * A running study on its run page: trials finished (by state), the best so far, an ETA and the
 * optimization history growing as trials finish — from the run's live events, re-rendered at most
 * twice a second.
 */
import { useMemo } from "react";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { summarizeLiveStudy, type LiveStudy } from "@/lib/optimize/live";
import type { Direction } from "@/lib/optimize/types";
import { useOptimizeLive, type LiveStreamState } from "./use-optimize-live";
import { HistoryChart } from "./history-chart";

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "—");

function eta(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** The live figures and chart (no data fetching; server-renderable). */
export function OptimizeLiveView({
  live,
  metric,
  budget,
  stream,
}: {
  live: LiveStudy;
  metric: string;
  budget: number | null;
  stream: LiveStreamState;
}) {
  return (
    <section className="space-y-3" data-testid="optimize-live" aria-live="polite">
      <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
        <div>
          <dt className="text-slate-500">Trials</dt>
          <dd data-testid="live-trials">
            {live.n.toLocaleString("en-US")}
            {budget !== null ? ` / ${budget.toLocaleString("en-US")}` : ""}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Pruned · failed · infeasible</dt>
          <dd data-testid="live-counts">
            {live.nPruned} · {live.nFailed} · {live.nInfeasible}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Best {metric} so far</dt>
          <dd data-testid="live-best">{live.best ? `${fmt(live.best.value)} (trial #${live.best.number})` : "—"}</dd>
        </div>
        <div>
          <dt className="text-slate-500">ETA</dt>
          <dd data-testid="live-eta">{eta(live.etaSeconds)}</dd>
        </div>
      </dl>
      {stream === "reconnecting" ? (
        <p className="text-xs text-amber-700">Live trials interrupted; reconnecting…</p>
      ) : stream === "error" ? (
        <p className="text-xs text-amber-700">Live trials are unavailable; the result appears when the study ends.</p>
      ) : null}
      {live.history.length > 0 ? (
        <figure data-testid="live-history" data-points={live.history.length}>
          <figcaption className="mb-1 text-sm font-semibold">
            Optimization history: {metric} per trial and best so far
          </figcaption>
          <HistoryChart points={live.history} heightClass="h-56" />
        </figure>
      ) : (
        <p className="text-sm text-slate-500" data-testid="live-waiting">
          Waiting for the first trial to finish…
        </p>
      )}
    </section>
  );
}

/** The live study of run `runId` while it is queued or running. */
export function OptimizeLive({
  runId,
  active,
  study,
  startedAt,
}: {
  runId: string;
  active: boolean;
  study: { trials?: number; timeout?: number; objectives: Array<{ metric: string; direction: Direction }> };
  /** When the run started (ISO), for the ETA; null while queued. */
  startedAt: string | null;
}) {
  const ws = useWorkspace();
  const { trials, receivedAtMs, state, serverEta } = useOptimizeLive(runId, ws.id, active);
  const budget = study.trials ?? null;
  const objective = study.objectives[0];
  const timeoutMs = study.timeout ? study.timeout * 1000 : null;
  const live = useMemo(() => {
    const s = summarizeLiveStudy(trials, {
      direction: objective.direction,
      budget,
      timeoutMs,
      elapsedMs: startedAt && receivedAtMs ? Math.max(0, receivedAtMs - Date.parse(startedAt)) : 0,
      maxPoints: 2000,
    });
    // Until the start time is known the server's estimate stands in.
    return startedAt && s.etaSeconds !== null ? s : { ...s, etaSeconds: serverEta };
  }, [trials, receivedAtMs, startedAt, budget, timeoutMs, objective.direction, serverEta]);
  return <OptimizeLiveView live={live} metric={objective.metric} budget={budget} stream={state} />;
}
