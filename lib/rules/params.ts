/**
 * The tunable numbers of a plan, each with its path in the plan and its bounds: what the code
 * generator turns into parameters with ranges, and what an evolutionary search may mutate.
 */
import { BOUNDS, type BoundKind, type Condition, type Distance, type RulePlan, type Series } from "./schema";

/** One number of a plan. `path` addresses it inside the plan (JSON keys and array indexes). */
export interface Tunable {
  path: (string | number)[];
  value: number;
  bound: BoundKind;
}

const SERIES_PERIODS: Record<Series["kind"], string[]> = {
  price: [],
  ma: ["period"],
  rsi: ["period"],
  macd: ["fast", "slow", "signal"],
  bollinger: ["period", "mult"],
  atr: ["period"],
  adx: ["period"],
  stochastic: ["period", "dPeriod"],
  williamsR: ["period"],
  cci: ["period"],
  roc: ["period"],
  zscore: ["period"],
  highest: ["period"],
  lowest: ["period"],
  fundamental: [],
};

function seriesTunables(s: Series, path: (string | number)[], out: Tunable[]): void {
  for (const key of SERIES_PERIODS[s.kind]) {
    const value = (s as unknown as Record<string, number>)[key];
    out.push({ path: [...path, key], value, bound: key === "mult" ? "stdDevs" : "period" });
  }
}

function conditionTunables(c: Condition, path: (string | number)[], out: Tunable[]): void {
  switch (c.kind) {
    case "compare":
    case "cross":
      seriesTunables(c.left, [...path, "left"], out);
      if (c.right.kind === "level")
        out.push({ path: [...path, "right", "value"], value: c.right.value, bound: "level" });
      else {
        seriesTunables(c.right.series, [...path, "right", "series"], out);
        if (c.right.times !== undefined)
          out.push({ path: [...path, "right", "times"], value: c.right.times, bound: "times" });
        if (c.right.pct !== undefined) out.push({ path: [...path, "right", "pct"], value: c.right.pct, bound: "pct" });
        if (c.right.atrs !== undefined)
          out.push(
            { path: [...path, "right", "atrs", "value"], value: c.right.atrs.value, bound: "atrMultiple" },
            { path: [...path, "right", "atrs", "period"], value: c.right.atrs.period, bound: "period" },
          );
      }
      return;
    case "between":
      seriesTunables(c.left, [...path, "left"], out);
      out.push(
        { path: [...path, "low"], value: c.low, bound: "level" },
        { path: [...path, "high"], value: c.high, bound: "level" },
      );
      return;
    case "trend":
      seriesTunables(c.left, [...path, "left"], out);
      out.push({ path: [...path, "bars"], value: c.bars, bound: "bars" });
      return;
    case "gap":
      out.push({ path: [...path, "pct"], value: c.pct, bound: "pct" });
      return;
    case "sector":
      return;
    case "all":
    case "any":
      c.of.forEach((x, k) => conditionTunables(x, [...path, "of", k], out));
  }
}

function distanceTunables(d: Distance | null, key: string, out: Tunable[]): void {
  if (!d) return;
  out.push({ path: [key, "value"], value: d.value, bound: d.unit === "pct" ? "pct" : "atrMultiple" });
  if (d.unit === "atr") out.push({ path: [key, "period"], value: d.period, bound: "period" });
}

/** Every tunable number of the plan with its bounds ({@link BOUNDS}). */
export function tunables(plan: RulePlan): Tunable[] {
  const out: Tunable[] = [];
  conditionTunables(plan.entry, ["entry"], out);
  if (plan.exit) conditionTunables(plan.exit, ["exit"], out);
  distanceTunables(plan.stopLoss, "stopLoss", out);
  distanceTunables(plan.takeProfit, "takeProfit", out);
  distanceTunables(plan.trailingStop, "trailingStop", out);
  if (plan.maxHoldBars !== null) out.push({ path: ["maxHoldBars"], value: plan.maxHoldBars, bound: "bars" });
  if (plan.score) seriesTunables(plan.score.series, ["score", "series"], out);
  return out;
}

/** A range around `value` for optimisation: half to double for counts, a quarter to triple for sizes, inside the bounds. */
export function rangeAround(value: number, bound: BoundKind): { min: number; max: number; int: boolean } {
  const b = BOUNDS[bound];
  if (b.int)
    return {
      min: Math.max(b.min, Math.floor(value / 2)),
      max: Math.min(b.max, Math.max(value * 2, value + 4)),
      int: true,
    };
  const round = (x: number) => Number(x.toPrecision(6));
  const [lo, hi] = value >= 0 ? [value / 4, value * 3] : [value * 3, value / 4];
  return {
    min: Math.max(b.min, Math.min(round(lo), value)),
    max: Math.min(b.max, Math.max(round(hi), value)),
    int: false,
  };
}
