"use client";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { PRIORITIES, type Priority } from "./priority";

export interface FeedFilter {
  ruleId?: string;
  symbol?: string;
  priority?: Priority;
  acknowledged?: boolean;
}

/** Rule, symbol, priority and acknowledged filters above the alert feed. */
export function FeedFilters({
  value,
  onChange,
  rules,
}: {
  value: FeedFilter;
  onChange(next: FeedFilter): void;
  rules: readonly { id: string; name: string }[];
}) {
  const ack = value.acknowledged === undefined ? "" : value.acknowledged ? "yes" : "no";
  return (
    <div className="grid min-w-0 flex-1 grid-cols-2 gap-3 lg:grid-cols-4">
      <Select
        aria-label="Rule"
        value={value.ruleId ?? ""}
        onChange={(e) => onChange({ ...value, ruleId: e.target.value || undefined })}
        data-testid="feed-filter-rule"
      >
        <option value="">All rules</option>
        {rules.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </Select>
      <Input
        aria-label="Symbol"
        placeholder="Symbol"
        defaultValue={value.symbol ?? ""}
        onBlur={(e) => onChange({ ...value, symbol: e.target.value.trim().toUpperCase() || undefined })}
        onKeyDown={(e) => {
          if (e.key === "Enter")
            onChange({ ...value, symbol: e.currentTarget.value.trim().toUpperCase() || undefined });
        }}
        data-testid="feed-filter-symbol"
      />
      <Select
        aria-label="Priority"
        value={value.priority ?? ""}
        onChange={(e) => onChange({ ...value, priority: (e.target.value || undefined) as Priority | undefined })}
        options={[{ value: "", label: "Any priority" }, ...PRIORITIES.map((p) => ({ value: p, label: p }))]}
        data-testid="feed-filter-priority"
      />
      <Select
        aria-label="Acknowledged"
        value={ack}
        onChange={(e) =>
          onChange({ ...value, acknowledged: e.target.value === "" ? undefined : e.target.value === "yes" })
        }
        options={[
          { value: "", label: "Acknowledged or not" },
          { value: "no", label: "Not acknowledged" },
          { value: "yes", label: "Acknowledged" },
        ]}
        data-testid="feed-filter-ack"
      />
    </div>
  );
}
