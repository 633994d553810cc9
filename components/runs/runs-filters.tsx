"use client";
import { Select } from "@/components/ui/select";
import type { RunStatus } from "./types";
import { RUN_STATUSES } from "@/lib/lifecycle/run";
import { RUNNABLE_RUN_KINDS, type RunnableKind } from "@/lib/runs/kinds";

export interface RunsFilter {
  kind?: RunnableKind;
  status?: RunStatus;
}

/** Plural labels of the runnable kinds (a new kind needs one here). */
const KIND_LABEL: Record<RunnableKind, string> = {
  backtest: "Backtests",
  screen: "Screens",
  alert: "Alerts",
  optimize: "Optimizations",
  improve: "Improvements",
  evolve: "Evolutions",
  forward: "Forward tests",
  hydrate: "Hydrations",
};
const KINDS = [
  { value: "", label: "All kinds" },
  ...RUNNABLE_RUN_KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] })),
];
const STATUSES = [{ value: "", label: "Any status" }, ...RUN_STATUSES.map((s) => ({ value: s, label: s }))];

/** Kind and status filters above the runs list. */
export function RunsFilters({ value, onChange }: { value: RunsFilter; onChange(next: RunsFilter): void }) {
  return (
    <div className="grid max-w-md grid-cols-2 gap-3">
      <Select
        aria-label="Kind"
        data-testid="runs-filter-kind"
        value={value.kind ?? ""}
        options={KINDS}
        onChange={(e) => onChange({ ...value, kind: (e.target.value || undefined) as RunsFilter["kind"] })}
      />
      <Select
        aria-label="Status"
        data-testid="runs-filter-status"
        value={value.status ?? ""}
        options={STATUSES}
        onChange={(e) => onChange({ ...value, status: (e.target.value || undefined) as RunStatus | undefined })}
      />
    </div>
  );
}
