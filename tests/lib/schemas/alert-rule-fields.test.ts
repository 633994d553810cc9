/** The alert rule's editable fields are listed once: stored columns and form fields convert both ways. */
import { describe, expect, it } from "vitest";
import { ALERT_RULE_FIELD_NAMES, alertRuleFields, ruleColumnsOf, ruleFieldsOf } from "@/lib/schemas/alerts";

describe("alert rule fields", () => {
  it("lists every field of the schema", () => {
    expect([...ALERT_RULE_FIELD_NAMES].sort()).toEqual(Object.keys(alertRuleFields.shape).sort());
    expect(ALERT_RULE_FIELD_NAMES).toContain("cooldownSeconds");
  });

  it("stores absent fields as null and reads them back as absent", () => {
    const fields = alertRuleFields.parse({
      name: "RSI dip",
      condition: { metric: "rsi_14", op: "<", value: 30 },
      symbols: ["AAA"],
    });
    const columns = ruleColumnsOf(fields);
    expect(columns).toMatchObject({
      name: "RSI dip",
      strategyId: null,
      strategyVersion: null,
      universe: null,
      schedule: null,
      trigger: "bar",
      enabled: true,
    });
    expect(Object.keys(columns).sort()).toEqual([...ALERT_RULE_FIELD_NAMES].sort());
    const back = ruleFieldsOf(columns);
    expect(back).toEqual(fields);
    expect("strategyId" in back).toBe(false);
  });
});
