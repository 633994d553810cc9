"use client";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { num } from "@/components/runs/format";
import type { ScreenResult } from "@/components/runs/types";

/** Link to the CSV of one finished screen run (session-authenticated route handler). */
export function screenCsvHref(runId: string, workspaceId: string): string {
  return `/api/screens/${runId}/csv?workspaceId=${encodeURIComponent(workspaceId)}`;
}

/**
 * The ranked results of a screen run with the values behind each rank: entry signal first, then
 * score (the strategy's latest-bar score), then symbol — the order the server ranked them in.
 */
export function ScreenResultsTable({ result, runId }: { result: ScreenResult; runId: string }) {
  const ws = useWorkspace();
  const rows = result.ranked_results;
  return (
    <div className="flex flex-col gap-3" data-testid="screen-results">
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
        <span data-testid="screen-summary">
          {result.matches} of {result.universe_size} symbols with an entry signal
          {result.as_of ? ` · as of ${result.as_of.slice(0, 10)}` : ""} · top {rows.length} shown
        </span>
        <a
          href={screenCsvHref(runId, ws.id)}
          className={buttonClass("secondary", "sm")}
          data-testid="screen-csv"
          download
        >
          Export CSV
        </a>
      </div>
      {rows.length === 0 ? (
        <EmptyState title="No symbols ranked" data-testid="screen-results-empty">
          The universe had no data on the latest bar.
        </EmptyState>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th className="text-right">Rank</Th>
              <Th>Symbol</Th>
              <Th className="text-right">Score</Th>
              <Th>Entry</Th>
              <Th className="text-right">Price</Th>
              <Th className="text-right">Change %</Th>
              <Th className="text-right">Volume</Th>
              <Th className="text-right">Confidence</Th>
              <Th className="text-right">Stop</Th>
              <Th className="text-right">Target</Th>
              <Th>Sector</Th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {rows.map((r) => (
              <tr key={r.symbol} data-testid="screen-row" data-symbol={r.symbol} data-rank={r.rank}>
                <Td className="text-right">{r.rank}</Td>
                <Td className="font-medium">{r.symbol}</Td>
                <Td className="text-right">{num(r.score, 3)}</Td>
                <Td>
                  {r.signal ? (
                    <span className="text-emerald-700">yes</span>
                  ) : (
                    <span className="text-slate-400">no</span>
                  )}
                </Td>
                <Td className="text-right">{num(r.current_price)}</Td>
                <Td className="text-right">{num(r.data.daily_change_pct)}</Td>
                <Td className="text-right">
                  {typeof r.data.volume === "number" ? r.data.volume.toLocaleString("en-US") : "—"}
                </Td>
                <Td className="text-right">{num(r.data.confidence)}</Td>
                <Td className="text-right">{num(r.data.stop_loss)}</Td>
                <Td className="text-right">{num(r.data.take_profit)}</Td>
                <Td className="text-xs text-slate-500">{r.sector ?? "—"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
