"use client";
import { AlertRunResult } from "@/components/alerts/alert-run-result";
import { ResultsView } from "@/components/lab/results/results-view";
import { ScreenResultsTable } from "@/components/screens/screen-results-table";
import type { AlertResult, BacktestResult, RunKind, ScreenResult } from "./types";

/** A finished run's result, shown the way its kind needs (backtest charts, ranked screen, alerts). */
export function RunResult({ kind, result, runId }: { kind: RunKind; result: Record<string, unknown>; runId: string }) {
  if (kind === "backtest") return <ResultsView result={result as unknown as BacktestResult} />;
  if (kind === "screen") return <ScreenResultsTable result={result as unknown as ScreenResult} runId={runId} />;
  if (kind === "alert") return <AlertRunResult result={result as unknown as AlertResult} />;
  return (
    <pre className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 text-xs" data-testid="run-result-json">
      {JSON.stringify(result, null, 2)}
    </pre>
  );
}
