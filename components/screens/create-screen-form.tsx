"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { StrategySelect } from "@/components/runs/strategy-select";
import { DataSelectionFields, selectedData, useDataSelection } from "@/components/runs/data-selection-fields";
import type { UniverseOption } from "@/components/runs/universe-select";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { useWorkspace } from "@/components/workspace/workspace-context";

/** New saved screen: name, strategy, universe or symbol list, how many rows, optional cron schedule. */
export function CreateScreenForm({ universes }: { universes: readonly UniverseOption[] }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.screens.create.mutationOptions());
  const [name, setName] = useState("");
  const [strategyId, setStrategyId] = useState("");
  const [data, setData] = useDataSelection(universes, "universe");
  const [limit, setLimit] = useState("50");
  const [schedule, setSchedule] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await create.mutateAsync({
        workspaceId: ws.id,
        screen: {
          name,
          strategyId,
          ...selectedData(data),
          params: {},
          limit: Number(limit),
          schedule: schedule.trim() || undefined,
        },
      });
      setName("");
      setSchedule("");
      await queryClient.invalidateQueries({ queryKey: trpc.screens.list.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="create-screen-form">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Field label="Name" htmlFor="screen-name">
          <Input
            id="screen-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={120}
            data-testid="screen-name"
          />
        </Field>
        <Field label="Strategy" htmlFor="screen-strategy">
          <StrategySelect id="screen-strategy" value={strategyId} onChange={setStrategyId} testId="screen-strategy" />
        </Field>
        <Field label="Rows" htmlFor="screen-limit" hint="Top N symbols kept">
          <Input
            id="screen-limit"
            type="number"
            min={1}
            max={5000}
            value={limit}
            onChange={(e) => setLimit(e.target.value)}
            data-testid="screen-limit"
          />
        </Field>
        <DataSelectionFields idPrefix="screen" label="Screen" universes={universes} value={data} onChange={setData} />
        <Field
          label="Schedule (optional)"
          htmlFor="screen-schedule"
          hint="Cron, UTC — e.g. 0 21 * * 1-5 for weekdays after the close"
        >
          <Input
            id="screen-schedule"
            value={schedule}
            onChange={(e) => setSchedule(e.target.value)}
            placeholder="0 21 * * 1-5"
            data-testid="screen-schedule"
          />
        </Field>
      </div>
      <FormError message={error} />
      <div>
        <Button type="submit" disabled={!name.trim() || !strategyId || create.isPending} data-testid="create-screen">
          {create.isPending ? "Saving…" : "Save screen"}
        </Button>
      </div>
    </form>
  );
}
