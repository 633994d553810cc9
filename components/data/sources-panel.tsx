"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspace/workspace-context";

/** Every data source, configured or not (with the variable that turns it on), its rate limit and breaker. */
export function SourcesPanel() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const sources = useQuery(trpc.data.sources.queryOptions({ workspaceId: ws.id }));
  const macro = useQuery(trpc.data.macroSeries.queryOptions({ workspaceId: ws.id }));
  const rows = sources.data ?? [];
  const series = macro.data ?? [];
  return (
    <div className="flex flex-col gap-3">
      <Table data-testid="sources-table">
        <thead>
          <tr>
            <Th>Source</Th>
            <Th>Serves</Th>
            <Th>Status</Th>
            <Th>Rate limit</Th>
            <Th>Breaker</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.name}>
              <Td className="font-medium">{s.name}</Td>
              <Td className="text-slate-600">{s.serves}</Td>
              <Td>
                {s.configured ? (
                  <Badge tone="green">configured</Badge>
                ) : (
                  <span className="text-sm text-slate-500">
                    off — set <code>{s.variable}</code>
                  </span>
                )}
              </Td>
              <Td className="tabular-nums">
                {s.ratePerMinute === null
                  ? "—"
                  : `${s.ratePerMinute}/min${s.spacingSeconds ? `, 1 call / ${s.spacingSeconds} s` : ""}`}
              </Td>
              <Td>
                {s.breaker === null ? (
                  "—"
                ) : (
                  <Badge tone={s.breaker === "closed" ? "neutral" : s.breaker === "open" ? "red" : "amber"}>
                    {s.breaker}
                  </Badge>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="text-sm text-slate-600" data-testid="macro-series">
        {series.length === 0
          ? "No macro series loaded (npm run lab -- data hydrate --provider fred --symbols DGS10)."
          : `Macro series strategies can declare in macro: [...]: ${series
              .map(
                (s) =>
                  `${s.seriesId} (${s.count} values to ${s.lastMs === null ? "—" : new Date(s.lastMs).toISOString().slice(0, 10)})`,
              )
              .join(", ")}.`}
      </p>
    </div>
  );
}
