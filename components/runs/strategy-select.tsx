"use client";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Select } from "@/components/ui/select";
import { useWorkspace } from "@/components/workspace/workspace-context";

/** The workspace's strategies as a select; picks the first one once loaded when nothing is chosen. */
export function StrategySelect({
  id,
  value,
  onChange,
  testId = "strategy-select",
  allowNone,
}: {
  id: string;
  value: string;
  onChange(v: string): void;
  testId?: string;
  allowNone?: string;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const list = useQuery(trpc.strategies.list.queryOptions({ workspaceId: ws.id }));
  const first = list.data?.[0]?.id;
  useEffect(() => {
    if (!value && first && !allowNone) onChange(first);
  }, [value, first, allowNone, onChange]);
  const options = (list.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (v${s.latestVersion})` }));
  return (
    <Select
      id={id}
      data-testid={testId}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={list.isPending}
    >
      {allowNone !== undefined ? <option value="">{allowNone}</option> : null}
      {list.isPending ? (
        <option value="">Loading…</option>
      ) : options.length === 0 && allowNone === undefined ? (
        <option value="">No strategies yet</option>
      ) : null}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </Select>
  );
}
