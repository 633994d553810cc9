"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { formatDateTime } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { DataQualityReport } from "./quality-report";

const day = (ms: number | null) => (ms === null ? "—" : new Date(ms).toISOString().slice(0, 10));
const PAGE = 50;

/**
 * Every symbol the workspace can use: its own imports (row counts, date ranges, quality badge),
 * then the shared demo universe labelled synthetic. Selecting a row shows its quality report.
 */
export function SymbolsTable() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const symbols = useQuery(trpc.data.symbols.queryOptions({ workspaceId: ws.id }));
  const remove = useMutation(trpc.data.deleteSymbol.mutationOptions());
  const [filter, setFilter] = useState("");
  const [shown, setShown] = useState(PAGE);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rows = useMemo(() => {
    const f = filter.trim().toUpperCase();
    return (symbols.data ?? []).filter((s) => !f || s.symbol.includes(f) || (s.sector ?? "").toUpperCase().includes(f));
  }, [symbols.data, filter]);

  if (symbols.isPending) return <p className="text-sm text-slate-500">Loading symbols…</p>;
  if (symbols.error) return <FormError message={errorMessage(symbols.error)} testId="symbols-error" />;
  if (symbols.data.length === 0) {
    return (
      <EmptyState title="No market data yet" data-testid="symbols-empty">
        Import a CSV above, or load the synthetic demo universe with <code>npm run lab -- data demo</code>.
      </EmptyState>
    );
  }
  const synthetic = symbols.data.filter((s) => s.synthetic).length;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
        <span data-testid="symbols-count">
          {symbols.data.length} symbols ({symbols.data.length - synthetic} imported, {synthetic} synthetic demo)
        </span>
        <Input
          placeholder="Filter by symbol or sector"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setShown(PAGE);
          }}
          className="max-w-xs"
          data-testid="symbols-filter"
        />
      </div>
      <FormError message={error} testId="symbols-action-error" />
      <Table data-testid="symbols-table">
        <thead>
          <tr>
            <Th>Symbol</Th>
            <Th>Source</Th>
            <Th>Sector</Th>
            <Th className="text-right">Bars</Th>
            <Th>From</Th>
            <Th>To</Th>
            <Th className="text-right">Last close</Th>
            <Th>Last updated</Th>
            <Th />
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, shown).map((s) => (
            <tr
              key={s.symbol}
              data-testid="symbol-row"
              data-symbol={s.symbol}
              className={selected === s.symbol ? "bg-slate-50" : ""}
            >
              <Td className="font-medium">{s.symbol}</Td>
              <Td>
                {s.synthetic ? (
                  <Badge tone="blue">synthetic</Badge>
                ) : (
                  <Badge tone={s.own ? "green" : "neutral"}>{s.own ? "imported" : s.source}</Badge>
                )}
              </Td>
              <Td>{s.sector ?? "—"}</Td>
              <Td className="text-right tabular-nums">{s.bars.toLocaleString()}</Td>
              <Td>{day(s.firstMs)}</Td>
              <Td>{day(s.lastMs)}</Td>
              <Td className="text-right tabular-nums">{s.lastClose?.toFixed(2) ?? "—"}</Td>
              <Td
                className="whitespace-nowrap text-slate-500"
                title="When its bars were last written (import, hydration, refresh)"
                data-testid="symbol-updated"
              >
                {formatDateTime(new Date(s.lastWriteMs))}
              </Td>
              <Td className="whitespace-nowrap text-right">
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() => setSelected(selected === s.symbol ? null : s.symbol)}
                  data-testid="symbol-quality-toggle"
                >
                  {selected === s.symbol ? "Hide quality" : "Quality"}
                </Button>
                {s.own && ws.can("strategies.write") ? (
                  <ConfirmButton
                    testId="symbol-delete"
                    question={`Delete ${s.symbol}?`}
                    onConfirm={async () => {
                      setError(null);
                      try {
                        await remove.mutateAsync({ workspaceId: ws.id, symbol: s.symbol });
                        await queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
                      } catch (err) {
                        setError(errorMessage(err));
                      }
                    }}
                  >
                    Delete
                  </ConfirmButton>
                ) : null}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {rows.length > shown ? (
        <Button variant="secondary" size="sm" onClick={() => setShown(shown + PAGE * 4)} data-testid="symbols-more">
          Show more ({rows.length - shown} left)
        </Button>
      ) : null}
      {selected ? (
        <div className="rounded-md border border-slate-200 p-4">
          <DataQualityReport symbol={selected} />
        </div>
      ) : null}
    </div>
  );
}
