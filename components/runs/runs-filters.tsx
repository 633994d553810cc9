"use client";
import { Select } from "@/components/ui/select";
import type { RunKind, RunStatus } from "./types";
import { RUN_STATUSES } from "@/lib/lifecycle/run";

export interface RunsFilter {
  kind?: Extract<RunKind, "backtest" | "screen" | "alert">;
  status?: RunStatus;
}

const KINDS = [
  { value: "", label: "All kinds" },
  { value: "backtest", label: "Backtests" },
  { value: "screen", label: "Screens" },
  { value: "alert", label: "Alerts" },
];
const STATUSES = [
  { value: "", label: "Any status" },
  ...RUN_STATUSES.map((s) => ({ value: s, label: s })),
];

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
