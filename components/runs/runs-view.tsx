"use client";
import { Card } from "@/components/ui/card";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { RunsList } from "./runs-list";
import { StartBacktestForm } from "./start-backtest-form";
import { StartOptimizeForm } from "@/components/optimize/start-optimize-form";
import type { UniverseOption } from "./universe-select";

/** The runs page body: the start form (roles that may run) and the live list. */
export function RunsView({ universes }: { universes: readonly UniverseOption[] }) {
  const ws = useWorkspace();
  return (
    <div className="flex flex-col gap-6">
      {ws.can("runs.create") ? (
        <Card
          title="Start backtest"
          description="Runs in the background; progress and results appear live. The latest version of the strategy is pinned when the run starts."
        >
          <StartBacktestForm universes={universes} />
        </Card>
      ) : null}
      {ws.can("runs.create") ? (
        <Card
          title="Optimize parameters"
          description="Grid, random or TPE search over the strategy's declared params, with an out-of-sample holdout, optional walk-forward and the overfitting figures (deflated Sharpe, PBO)."
        >
          <StartOptimizeForm universes={universes} />
        </Card>
      ) : (
        <p className="text-sm text-slate-500" data-testid="runs-read-only">
          Your role ({ws.role}) can watch runs but not start or cancel them.
        </p>
      )}
      <Card title="Runs">
        <RunsList />
      </Card>
    </div>
  );
}
