"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { StrategySelect } from "./strategy-select";
import { UniverseSelect, type UniverseOption } from "./universe-select";

/**
 * "Start backtest": strategy (latest version), universe and an optional date window. Returns at
 * once with the run id; the run appears in the list below with live progress.
 */
export function StartBacktestForm({ universes }: { universes: readonly UniverseOption[] }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.runs.create.mutationOptions());
  const [strategyId, setStrategyId] = useState("");
  const [universe, setUniverse] = useState(universes[0]?.name ?? "");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const { runId } = await create.mutateAsync({
        workspaceId: ws.id,
        run: {
          kind: "backtest",
          strategyId,
          universe,
          from: from || undefined,
          to: to || undefined,
          params: {},
          priority: "interactive",
        },
      });
      setStarted(runId);
      await queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="start-backtest-form">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-4">
        <Field label="Strategy" htmlFor="bt-strategy">
          <StrategySelect id="bt-strategy" value={strategyId} onChange={setStrategyId} testId="backtest-strategy" />
        </Field>
        <Field label="Universe" htmlFor="bt-universe">
          <UniverseSelect
            id="bt-universe"
            universes={universes}
            value={universe}
            onChange={setUniverse}
            testId="backtest-universe"
          />
        </Field>
        <Field label="From" htmlFor="bt-from" hint="Empty: whole history">
          <Input
            id="bt-from"
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            data-testid="backtest-from"
          />
        </Field>
        <Field label="To" htmlFor="bt-to">
          <Input id="bt-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="backtest-to" />
        </Field>
      </div>
      <FormError message={error} />
      <div className="flex items-center gap-4">
        <Button type="submit" disabled={!strategyId || !universe || create.isPending} data-testid="start-backtest">
          {create.isPending ? "Starting…" : "Start backtest"}
        </Button>
        {started ? (
          <Link
            href={`/w/${ws.slug}/runs/${started}`}
            className="text-sm text-sky-700 hover:underline"
            data-testid="run-started-link"
            data-run-id={started}
          >
            Run started — open it
          </Link>
        ) : null}
      </div>
    </form>
  );
}
