/** Rule rows as the client receives them, and how they read in tables. */
import { ruleFieldsOf, type AlertRuleFields } from "@/lib/schemas/alerts";
import type { Condition } from "./condition-fields";
import type { Priority } from "./priority";

export interface AlertRuleRow {
  id: string;
  name: string;
  strategyId: string | null;
  strategyVersion: number | null;
  params: Record<string, string | number | boolean>;
  condition: Condition | null;
  symbols: string[];
  universe: string | null;
  trigger: "bar" | "schedule";
  schedule: string | null;
  cooldownSeconds: number;
  priority: Priority;
  enabled: boolean;
  lastEvaluatedAt: string | null;
}

const METRIC_TEXT: Record<Condition["metric"], string> = {
  close: "close",
  change_pct: "change %",
  volume: "volume",
  rsi_14: "RSI 14",
  sma_20_distance_pct: "distance from SMA 20 %",
};

/** "RSI 14 < 30" or "strategy Momentum". */
export function ruleWhat(r: AlertRuleRow, strategyNames: ReadonlyMap<string, string>): string {
  if (r.condition) return `${METRIC_TEXT[r.condition.metric]} ${r.condition.op.replace("_", " ")} ${r.condition.value}`;
  return `strategy ${r.strategyId ? (strategyNames.get(r.strategyId) ?? "(deleted)") : "?"}${r.strategyVersion ? ` v${r.strategyVersion}` : ""}`;
}

/** The editable fields of a stored rule (for updates that change one thing, like pausing). */
export function ruleFields(r: AlertRuleRow): AlertRuleFields {
  return ruleFieldsOf(r);
}
