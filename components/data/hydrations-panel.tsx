"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table, Td, Th } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspace/workspace-context";

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** One hydration's symbols that did not load, with the reason (loaded when opened). */
function Failures({ hydrationId }: { hydrationId: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const results = useQuery(trpc.data.hydrationResults.queryOptions({ workspaceId: ws.id, hydrationId }));
  if (results.isPending) return <p className="text-xs text-slate-500">Loading…</p>;
  if (results.error) return <FormError message={errorMessage(results.error)} />;
  const failed = results.data.filter((r) => r.status !== "ok");
  if (failed.length === 0) return <p className="text-xs text-slate-500">Every settled symbol loaded.</p>;
  return (
    <ul className="text-xs text-slate-600" data-testid="hydration-failures">
      {failed.map((r) => (
        <li key={r.symbol}>
          <span className="font-medium">{r.symbol}</span>{" "}
          {r.status === "pending" ? "pending" : `${r.status.replace("_", " ")}: ${r.reason ?? ""}`}
        </li>
      ))}
    </ul>
  );
}

/**
 * Hydrations: load many symbols from a configured provider in the background (every worker
 * helps), with progress, per-symbol outcomes, and the universe they form. Hidden without providers.
 */
export function HydrationsPanel() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const providers = useQuery(trpc.data.providers.queryOptions({ workspaceId: ws.id }));
  const list = useQuery({
    ...trpc.data.hydrations.queryOptions({ workspaceId: ws.id }),
    refetchInterval: (q) => (q.state.data?.some((h) => h.done < h.total) ? 2000 : false),
  });
  const start = useMutation(trpc.data.hydrate.mutationOptions());
  const [provider, setProvider] = useState("");
  const [symbols, setSymbols] = useState("");
  const [from, setFrom] = useState("2020-01-01");
  const [to, setTo] = useState(() => new Date().toISOString().slice(0, 10));
  const [universe, setUniverse] = useState("");
  const [fundamentals, setFundamentals] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const names = providers.data ?? [];
  const canWrite = ws.can("strategies.write");
  const rows = list.data ?? [];
  if (names.length === 0 && rows.length === 0)
    return (
      <p className="text-sm text-slate-500">
        No data provider is configured (see Configuration in the README: POLYGON_API_KEY, ALPACA_KEY_ID and
        ALPACA_SECRET_KEY, ALPHAVANTAGE_API_KEY, LAB_CCXT_EXCHANGE, LAB_YAHOO_ENABLED; FRED_API_KEY for macro series).
      </p>
    );

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await start.mutateAsync({
        workspaceId: ws.id,
        provider: provider || names[0],
        symbols: symbols.split(/[\s,;]+/).filter(Boolean),
        fromMs: dayMs(from),
        toMs: dayMs(to),
        universe: universe.trim() || undefined,
        fundamentals: fundamentals || undefined,
      });
      setSymbols("");
      await queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div className="flex flex-col gap-4">
      {rows.length > 0 ? (
        <Table data-testid="hydrations-table">
          <thead>
            <tr>
              <Th>Started</Th>
              <Th>Provider</Th>
              <Th>Universe</Th>
              <Th>Progress</Th>
              <Th className="text-right">Bars</Th>
              <Th>Outcome</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((h) => (
              <tr key={h.hydrationId} data-testid="hydration-row">
                <Td className="whitespace-nowrap text-slate-500">
                  {new Date(h.createdMs).toISOString().slice(0, 16).replace("T", " ")} UTC
                </Td>
                <Td>{h.provider}</Td>
                <Td className="font-medium">{h.universe}</Td>
                <Td>
                  <div className="flex items-center gap-2">
                    <progress
                      max={h.total}
                      value={h.done}
                      aria-label={`${h.universe}: ${h.done} of ${h.total} symbols`}
                      className="h-2 w-24"
                    />
                    <span className="tabular-nums text-slate-600">
                      {h.done}/{h.total}
                      {h.done < h.total && h.etaSeconds !== null ? `, ETA ${h.etaSeconds}s` : ""}
                    </span>
                  </div>
                </Td>
                <Td className="text-right tabular-nums">{h.bars.toLocaleString("en-US")}</Td>
                <Td>
                  <div className="flex flex-wrap items-center gap-1">
                    <Badge tone="green">{h.ok} ok</Badge>
                    {h.noData > 0 ? <Badge tone="neutral">{h.noData} no data</Badge> : null}
                    {h.error > 0 ? <Badge tone="red">{h.error} failed</Badge> : null}
                  </div>
                  {h.noData + h.error > 0 ? (
                    <details className="mt-1">
                      <summary className="cursor-pointer text-xs text-slate-500">Why</summary>
                      <Failures hydrationId={h.hydrationId} />
                    </details>
                  ) : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {canWrite && names.length > 0 ? (
        <form onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="hydrate-form">
          <div className="grid gap-3 sm:grid-cols-4 sm:items-end">
            <Field label="Provider" htmlFor="hydrate-provider">
              <Select
                id="hydrate-provider"
                value={provider || names[0]}
                onChange={(e) => setProvider(e.target.value)}
                options={names.map((n) => ({ value: n, label: n }))}
              />
            </Field>
            <Field label="From" htmlFor="hydrate-from">
              <Input id="hydrate-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
            </Field>
            <Field label="To" htmlFor="hydrate-to">
              <Input id="hydrate-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
            </Field>
            <Field label="Universe" htmlFor="hydrate-universe" hint="default <provider>-hydrated">
              <Input
                id="hydrate-universe"
                value={universe}
                onChange={(e) => setUniverse(e.target.value.toLowerCase())}
              />
            </Field>
          </div>
          <Field label="Symbols" htmlFor="hydrate-symbols" hint="separated by spaces or commas; thousands are fine">
            <Input
              id="hydrate-symbols"
              value={symbols}
              onChange={(e) => setSymbols(e.target.value.toUpperCase())}
              data-testid="hydrate-symbols-input"
            />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={fundamentals}
              onChange={(e) => setFundamentals(e.target.checked)}
              data-testid="hydrate-fundamentals"
            />
            Also load fundamentals (Alpha Vantage: two more requests a symbol)
          </label>
          <div>
            <Button type="submit" disabled={start.isPending || !symbols.trim()} data-testid="hydrate-button">
              {start.isPending ? "Starting…" : "Hydrate"}
            </Button>
          </div>
        </form>
      ) : null}
      <FormError message={error} testId="hydrate-error" />
    </div>
  );
}
