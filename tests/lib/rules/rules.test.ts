import { describe, expect, it } from "vitest";
import {
  BOUNDS,
  describeRules,
  formatPlan,
  generateCode,
  generateFromRequest,
  parsePlan,
  rulePlan,
  tunables,
  UNDERSTOOD_EXAMPLES,
} from "@/lib/rules";

const plan = (request: string) => {
  const p = parsePlan(request);
  if (!p.plan) throw new Error(`not understood: ${request}`);
  return formatPlan(p.plan);
};

describe("parsePlan number formats", () => {
  it("reads periods written as 50-day, 50 day, fifty days, 10 weeks, 3 months", () => {
    expect(plan("buy when the close is above the 50-day SMA")).toMatch(/^long: close > sma50 /);
    expect(plan("buy when the close is above the 50 day SMA")).toMatch(/^long: close > sma50 /);
    expect(plan("buy when the close is above the fifty day simple moving average")).toMatch(/^long: close > sma50 /);
    expect(plan("buy when the close is above the 10 week moving average")).toMatch(/^long: close > sma50 /);
    expect(plan("buy stocks up more than 10% over 3 months")).toMatch(/^long: roc63 > 10 /);
  });

  it("reads multiples as 2x, twice, 200% of and one and a half times", () => {
    for (const r of [
      "volume above 2x its 20-day average",
      "volume more than twice its 20 day average",
      "volume above 200% of its 20 day average",
    ])
      expect(plan(r), r).toBe("long: volume > 2x sma20(volume) | hold 20");
    expect(plan("on one and a half times average volume")).toBe("long: volume > 1.5x sma20(volume) | hold 20");
  });

  it("reads indicator periods as RSI(14), 14-period RSI, RSI 14, and fills the usual default otherwise", () => {
    for (const r of [
      "RSI(14) below 30",
      "14-period RSI below 30",
      "RSI 14 below 30",
      "the fourteen day RSI is below 30",
    ])
      expect(plan(r), r).toMatch(/^long: rsi14 < 30/);
    const p = parsePlan("RSI below 30");
    expect(p.assumptions).toContain("RSI period not given: 14 (the usual)");
  });

  it("says what it did not understand and never substitutes another rule", () => {
    const p = parsePlan("buy when RSI(14) is below 30 unless the market is falling");
    expect(p.notUnderstood.join(" ")).toMatch(/unless/);
    const none = generateFromRequest("buy when the moon is full");
    expect(none.code).toBeNull();
    expect(none.notUnderstood).toEqual(["moon", "full"]);
    expect(none.message).toContain(UNDERSTOOD_EXAMPLES[0]);
  });

  it("does not use a negated condition", () => {
    const p = parsePlan("buy stocks up more than 20% over 60 days but not in the energy sector");
    expect(p.plan && formatPlan(p.plan)).toBe("long: roc60 > 20 | hold 20");
    expect(p.notUnderstood.join(" ")).toMatch(/not in the energy sector/);
  });
});

describe("plans, code and descriptions", () => {
  const requests = UNDERSTOOD_EXAMPLES.concat([
    "Donchian channel breakout on the 55-day high with a 2 ATR trailing stop",
    "Short when RSI(14) is above 70 and cover when RSI(14) is below 50",
  ]);

  it("are valid against the zod schema, and every tunable number sits inside its bounds", () => {
    for (const r of requests) {
      const p = parsePlan(r).plan;
      expect(rulePlan.safeParse(p).success, r).toBe(true);
      for (const t of tunables(p as NonNullable<typeof p>)) {
        const b = BOUNDS[t.bound];
        if (t.bound !== "pct" || t.value > 0)
          expect(Math.abs(t.value) <= b.max, `${r}: ${t.path.join(".")}`).toBe(true);
      }
    }
  });

  it("carry the request's numbers as parameter defaults with a range around them", () => {
    const code = generateCode(
      parsePlan("Buy when the 50-day moving average crosses above the 200-day and sell on the reverse cross")
        .plan as never,
    );
    expect(code).toContain('fastSmaPeriod: { type: "int", min: 25, max: 100, default: 50');
    expect(code).toContain('slowSmaPeriod: { type: "int", min: 100, max: 400, default: 200');
    const mom = generateCode(
      parsePlan("buy stocks up more than 20% over 60 days, 8% stop loss and 25% take profit").plan as never,
    );
    expect(mom).toMatch(/returnPctAbove: \{ type: "float", min: 5, max: 60, default: 20/);
    expect(mom).toMatch(/stopLossPct: \{ type: "float", min: 2, max: 24, default: 8/);
    expect(mom).toMatch(/takeProfitPct: \{ type: "float", min: 6.25, max: 75, default: 25/);
  });

  it("describe the rules in plain English", () => {
    const rules = describeRules(
      parsePlan("Donchian channel breakout on the 55-day high with a 2 ATR trailing stop").plan as never,
    );
    expect(rules).toEqual([
      "Enter long when the close is above the highest high of the prior 55 days.",
      "Trailing stop: exit when the close is 2× ATR(14) below the highest close since entry.",
    ]);
    expect(
      describeRules(parsePlan("Buy after three consecutive down days and sell after two up days").plan as never),
    ).toEqual([
      "Enter long when the close is lower than the day before on 3 days in a row.",
      "Exit when the close is higher than the day before on 2 days in a row.",
    ]);
  });

  it("puts what was not understood at the top of the code", () => {
    const g = generateFromRequest("buy when RSI(14) is below 30 and the VIX is below 20");
    expect(g.code?.split("\n")[0]).toMatch(/^\/\/ not understood: .*vix/);
  });
});
