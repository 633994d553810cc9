"use client";
import Link from "next/link";
import { formatMetric } from "@/components/metrics/format";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";
import { runDuration } from "./format";
import { RunProgress } from "./run-progress";
import { RunStatusBadge } from "./run-status-badge";
import type { RunListRow } from "./types";

export type { RunListRow };

/** Runs newest first: kind, strategy, status, live progress, a backtest's return and Sharpe, created, duration; each links to its page. */
export function RunsTable({
  rows,
  slug,
  nowMs,
  emptyText = "No runs match.",
}: {
  rows: readonly RunListRow[];
  slug: string;
  nowMs: number;
  emptyText?: string;
}) {
  if (rows.length === 0) return <EmptyState title={emptyText} data-testid="runs-empty" />;
  return (
    <Table data-testid="runs-table">
      <thead>
        <tr>
          <Th>Kind</Th>
          <Th>Strategy</Th>
          <Th>Status</Th>
          <Th>Progress</Th>
          <Th className="text-right">Return</Th>
          <Th className="text-right">Sharpe</Th>
          <Th>Created</Th>
          <Th>Duration</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const input = r.input;
          return (
            <tr key={r.id} data-testid="run-row" data-run-id={r.id} data-status={r.status} data-kind={r.kind}>
              <Td>
                <Link href={`/w/${slug}/runs/${r.id}`} className="font-medium hover:underline" data-testid="run-link">
                  {r.kind}
                </Link>
                {r.origin !== "user" ? <div className="text-xs text-slate-500">{r.origin}</div> : null}
              </Td>
              <Td>
                {input.kind === "hydrate" ? (
                  <>
                    <div>{input.hydrate.provider}</div>
                    <div className="text-xs text-slate-500">
                      {input.hydrate.all ? "all listed symbols" : `${input.hydrate.symbols?.length ?? 0} symbols`}
                    </div>
                  </>
                ) : (
                  <>
                    <div>{input.strategyName ?? "—"}</div>
                    <div className="text-xs text-slate-500">
                      {input.version ? `v${input.version} · ` : ""}
                      {input.universe ?? `${input.symbols?.length ?? 0} symbols`}
                    </div>
                  </>
                )}
              </Td>
              <Td>
                <RunStatusBadge status={r.status} />
              </Td>
              <Td>
                <RunProgress status={r.status} progress={r.progress} compact />
                {r.status === "failed" && r.error ? (
                  <div className="mt-1 max-w-56 truncate text-xs text-red-700" title={r.error}>
                    {r.error}
                  </div>
                ) : null}
              </Td>
              <Td className="whitespace-nowrap text-right tabular-nums" data-testid="run-return">
                {r.headline ? formatMetric(r.headline.totalReturnPct, "pct") : ""}
              </Td>
              <Td className="whitespace-nowrap text-right tabular-nums" data-testid="run-sharpe">
                {r.headline ? formatMetric(r.headline.sharpe, "ratio") : ""}
              </Td>
              <Td className="whitespace-nowrap text-xs text-slate-500">{formatDateTime(r.createdAt)}</Td>
              <Td className="whitespace-nowrap text-xs tabular-nums">{runDuration(r, nowMs)}</Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
