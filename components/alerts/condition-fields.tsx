"use client";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

/** A simple condition on the newest bar: `metric op value`; crosses_* compare with the bar before. */
export interface Condition {
  metric: "close" | "change_pct" | "volume" | "rsi_14" | "sma_20_distance_pct";
  op: ">" | ">=" | "<" | "<=" | "crosses_above" | "crosses_below";
  value: number;
}

export const DEFAULT_CONDITION: Condition = { metric: "rsi_14", op: "<", value: 30 };

const METRICS: { value: Condition["metric"]; label: string }[] = [
  { value: "close", label: "Close price" },
  { value: "change_pct", label: "Daily change %" },
  { value: "volume", label: "Volume" },
  { value: "rsi_14", label: "RSI (14)" },
  { value: "sma_20_distance_pct", label: "Distance from SMA 20, %" },
];
const OPS: { value: Condition["op"]; label: string }[] = [
  { value: ">", label: ">" },
  { value: ">=", label: "≥" },
  { value: "<", label: "<" },
  { value: "<=", label: "≤" },
  { value: "crosses_above", label: "crosses above" },
  { value: "crosses_below", label: "crosses below" },
];

/** Metric, comparison and threshold of a condition rule. */
export function ConditionFields({ value, onChange }: { value: Condition; onChange(next: Condition): void }) {
  return (
    <Field label="Condition" htmlFor="rule-metric">
      <div className="flex gap-2">
        <Select
          id="rule-metric"
          aria-label="Metric"
          value={value.metric}
          onChange={(e) => onChange({ ...value, metric: e.target.value as Condition["metric"] })}
          options={METRICS}
          data-testid="rule-metric"
        />
        <Select
          aria-label="Comparison"
          className="w-32"
          value={value.op}
          onChange={(e) => onChange({ ...value, op: e.target.value as Condition["op"] })}
          options={OPS}
          data-testid="rule-op"
        />
        <Input
          aria-label="Value"
          className="w-24"
          type="number"
          step="any"
          value={Number.isFinite(value.value) ? value.value : ""}
          onChange={(e) => onChange({ ...value, value: Number(e.target.value) })}
          data-testid="rule-value"
        />
      </div>
    </Field>
  );
}
