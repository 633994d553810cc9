"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useWorkspace } from "@/components/workspace/workspace-context";

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** Fetch daily bars of one symbol from a configured provider (hidden when none is configured). */
export function ProviderFetchForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const providers = useQuery(trpc.data.providers.queryOptions({ workspaceId: ws.id }));
  const fetchBars = useMutation(trpc.data.fetch.mutationOptions());
  const [provider, setProvider] = useState("");
  const [symbol, setSymbol] = useState("");
  const [from, setFrom] = useState("2015-01-01");
  const [to, setTo] = useState(() => new Date().toISOString().slice(0, 10));
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = providers.data ?? [];
  if (names.length === 0 || !ws.can("strategies.write")) return null;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const res = await fetchBars.mutateAsync({
        workspaceId: ws.id,
        provider: provider || names[0],
        symbol,
        fromMs: dayMs(from),
        toMs: dayMs(to) + 86_399_999,
        interval: "1d",
      });
      setDone(`Fetched ${res.symbol}: ${res.bars} bars.`);
      await queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      className="flex flex-col gap-3 border-t border-slate-100 pt-4"
      data-testid="provider-fetch-form"
    >
      <p className="text-sm font-medium">Or fetch daily bars from a provider</p>
      <div className="grid gap-3 sm:grid-cols-4 sm:items-end">
        <Field label="Provider" htmlFor="provider-name">
          <Select
            id="provider-name"
            value={provider || names[0]}
            onChange={(e) => setProvider(e.target.value)}
            options={names.map((n) => ({ value: n, label: n }))}
            data-testid="provider-select"
          />
        </Field>
        <Field label="Symbol" htmlFor="provider-symbol">
          <Input
            id="provider-symbol"
            value={symbol}
            onChange={(e) => setSymbol(e.target.value.toUpperCase())}
            data-testid="provider-symbol-input"
            required
          />
        </Field>
        <Field label="From" htmlFor="provider-from">
          <Input id="provider-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </Field>
        <Field label="To" htmlFor="provider-to">
          <Input id="provider-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </Field>
      </div>
      <div>
        <Button
          type="submit"
          variant="secondary"
          disabled={fetchBars.isPending || !symbol}
          data-testid="provider-fetch-button"
        >
          {fetchBars.isPending ? "Fetching…" : "Fetch"}
        </Button>
      </div>
      <FormError message={error} testId="provider-fetch-error" />
      {done ? (
        <p className="text-sm text-green-700" data-testid="provider-fetch-done">
          {done}
        </p>
      ) : null}
    </form>
  );
}
