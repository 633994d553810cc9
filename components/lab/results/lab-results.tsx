"use client";
/** The Lab's results card: what the run page shows, plus a link to that page and Publish. */
import Link from "next/link";
import { PublishReportButton } from "@/components/reports/publish-report-button";
import { Card } from "@/components/ui/card";
import { useWorkspace } from "@/components/workspace/workspace-context";
import type { BacktestResult } from "../types";
import { ResultsView } from "./results-view";

export function LabResults({ runId, result }: { runId: string; result: BacktestResult }) {
  const ws = useWorkspace();
  const actions = (
    <div className="flex flex-wrap items-center gap-3">
      <Link
        href={`/w/${ws.slug}/runs/${runId}`}
        className="text-sm font-medium text-blue-700 underline-offset-2 hover:underline"
        data-testid="lab-run-link"
      >
        Open run page
      </Link>
      <Link
        href={`/w/${ws.slug}/runs/compare?a=${runId}`}
        className="text-sm font-medium text-blue-700 underline-offset-2 hover:underline"
        data-testid="lab-compare-link"
      >
        Compare…
      </Link>
      <PublishReportButton runId={runId} />
    </div>
  );
  return (
    <Card title="Results" actions={actions} data-panel="results">
      <ResultsView result={result} />
    </Card>
  );
}
