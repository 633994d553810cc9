"use client";
import { AlertRunResult } from "@/components/alerts/alert-run-result";
import { ResultsView } from "@/components/lab/results/results-view";
import { ScreenResultsTable } from "@/components/screens/screen-results-table";
import { OptimizeRunResult } from "@/components/optimize/optimize-run-result";
import { ImproveResult } from "@/components/improve/improve-result";
import { EvolveRunResult } from "@/components/evolve/evolve-run-result";
import { ForwardRunResult } from "@/components/lifecycle/forward-run-result";
import { HydrateRunResult } from "@/components/data/hydrate-run-result";
import type { TaggedRunResult } from "./types";

/**
 * A finished run's result, shown the way its kind needs (backtest charts, ranked screen, alerts).
 * A new run kind adds its view here; the switch is exhaustive over the runnable kinds.
 */
export function RunResult({
  run,
  runId,
  strategyId,
  version,
}: {
  run: TaggedRunResult;
  runId: string;
  strategyId?: string;
  version?: number;
}) {
  switch (run.kind) {
    case "backtest":
      return <ResultsView result={run.result} />;
    case "screen":
      return <ScreenResultsTable result={run.result} runId={runId} />;
    case "alert":
      return <AlertRunResult result={run.result} />;
    case "optimize":
      return <OptimizeRunResult result={run.result} runId={runId} strategyId={strategyId} version={version} />;
    case "improve":
      return <ImproveResult result={run.result} />;
    case "evolve":
      return <EvolveRunResult result={run.result} />;
    case "forward":
      return <ForwardRunResult result={run.result} />;
    case "hydrate":
      return <HydrateRunResult result={run.result} />;
    default: {
      const unhandled: never = run;
      return unhandled;
    }
  }
}
