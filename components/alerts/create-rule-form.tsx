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
import { Select } from "@/components/ui/select";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { ConditionFields, DEFAULT_CONDITION, type Condition } from "./condition-fields";
import { PRIORITIES, type Priority } from "./priority";

/**
 * New alert rule: a strategy's entry signals or a simple condition, on symbols or a universe,
 * evaluated on each new bar or on a cron schedule, with a per-symbol cooldown and a priority.
 */
export function CreateRuleForm({ universes }: { universes: readonly UniverseOption[] }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.alerts.createRule.mutationOptions());
  const [name, setName] = useState("");
  const [mode, setMode] = useState<"strategy" | "condition">("condition");
  const [strategyId, setStrategyId] = useState("");
  const [condition, setCondition] = useState<Condition>(DEFAULT_CONDITION);
  const [data, setData] = useDataSelection(universes, "symbols");
  const [trigger, setTrigger] = useState<"bar" | "schedule">("bar");
  const [schedule, setSchedule] = useState("");
  const [cooldownMin, setCooldownMin] = useState("60");
  const [priority, setPriority] = useState<Priority>("normal");
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await create.mutateAsync({
        workspaceId: ws.id,
        rule: {
          name,
          ...(mode === "strategy" ? { strategyId } : { condition }),
          params: {},
          symbols: [],
          ...selectedData(data),
          trigger,
          schedule: trigger === "schedule" ? schedule.trim() : undefined,
          cooldownSeconds: Math.round(Number(cooldownMin) * 60),
          priority,
          enabled: true,
        },
      });
      setName("");
      await queryClient.invalidateQueries({ queryKey: trpc.alerts.rules.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="create-rule-form">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Field label="Name" htmlFor="rule-name">
          <Input
            id="rule-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={120}
            data-testid="rule-name"
          />
        </Field>
        <Field label="Fires on" htmlFor="rule-mode">
          <Select
            id="rule-mode"
            value={mode}
            onChange={(e) => setMode(e.target.value as "strategy" | "condition")}
            data-testid="rule-mode"
          >
            <option value="condition">a simple condition</option>
            <option value="strategy">a strategy&apos;s entry signals</option>
          </Select>
        </Field>
        {mode === "strategy" ? (
          <Field label="Strategy" htmlFor="rule-strategy">
            <StrategySelect id="rule-strategy" value={strategyId} onChange={setStrategyId} testId="rule-strategy" />
          </Field>
        ) : (
          <ConditionFields value={condition} onChange={setCondition} />
        )}
        <DataSelectionFields
          idPrefix="rule"
          sourceId="rule-watch"
          label="Watch"
          universes={universes}
          value={data}
          onChange={setData}
          options={["symbols", "universe"]}
          optionText={{ symbols: "symbols", universe: "a universe" }}
        />
        <Field label="Evaluate" htmlFor="rule-trigger">
          <Select
            id="rule-trigger"
            value={trigger}
            onChange={(e) => setTrigger(e.target.value as "bar" | "schedule")}
            data-testid="rule-trigger"
          >
            <option value="bar">on each new bar</option>
            <option value="schedule">on a schedule</option>
          </Select>
        </Field>
        {trigger === "schedule" ? (
          <Field label="Schedule" htmlFor="rule-schedule" hint="Cron, UTC — e.g. */15 13-20 * * 1-5">
            <Input
              id="rule-schedule"
              value={schedule}
              onChange={(e) => setSchedule(e.target.value)}
              placeholder="*/15 13-20 * * 1-5"
              data-testid="rule-schedule"
            />
          </Field>
        ) : null}
        <Field label="Cooldown (minutes)" htmlFor="rule-cooldown" hint="Per symbol: no repeat alert within this time">
          <Input
            id="rule-cooldown"
            type="number"
            min={0}
            max={43200}
            value={cooldownMin}
            onChange={(e) => setCooldownMin(e.target.value)}
            data-testid="rule-cooldown"
          />
        </Field>
        <Field label="Priority" htmlFor="rule-priority">
          <Select
            id="rule-priority"
            value={priority}
            onChange={(e) => setPriority(e.target.value as Priority)}
            data-testid="rule-priority"
            options={PRIORITIES.map((p) => ({ value: p, label: p }))}
          />
        </Field>
      </div>
      <FormError message={error} />
      <div>
        <Button
          type="submit"
          disabled={!name.trim() || (mode === "strategy" && !strategyId) || create.isPending}
          data-testid="create-rule"
        >
          {create.isPending ? "Saving…" : "Save rule"}
        </Button>
      </div>
    </form>
  );
}
