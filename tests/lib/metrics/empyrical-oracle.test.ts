/**
 * Every case of ../shared/oracles/performance_metrics_empyrical.json (empyrical /
 * empyrical-reloaded test suites plus values computed with that library on GOOG daily returns)
 * for the metrics we implement. Inputs are `{ ref }`s into `series`; "NaN"/"Infinity" are strings.
 * Equity-based metrics get the curve 100 · cumprod(1 + r) with 100 prepended and NaN returns
 * counted as 0 — empyrical's own cum_returns convention.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as m from "@/lib/metrics";

type Num = number | string;
interface Ref {
  ref: string;
  slice_from?: number;
  slice_to?: number;
  multiply?: number;
}
interface Case {
  id: string;
  function: string;
  inputs: Record<string, Ref | Num | Num[] | string>;
  expected: Num | Num[];
  library_value?: Num | Num[];
  tolerance: { decimal_places: number };
}
interface Series {
  values: Num[];
  dates?: string[];
}

const path = fileURLToPath(new URL("../../../../shared/oracles/performance_metrics_empyrical.json", import.meta.url));
const oracle = JSON.parse(readFileSync(path, "utf8")) as { series: Record<string, Series>; cases: Case[] };

const num = (v: Num): number =>
  typeof v === "number"
    ? v
    : v === "NaN"
      ? NaN
      : v === "Infinity"
        ? Infinity
        : v === "-Infinity"
          ? -Infinity
          : Number(v);

interface Resolved {
  values: number[];
  dates?: string[];
}
function resolve(input: Ref | Num | Num[] | string | undefined): Resolved | number | undefined {
  if (input === undefined) return undefined;
  if (typeof input === "number") return input;
  if (typeof input === "string") return num(input);
  if (Array.isArray(input)) return { values: input.map(num) };
  const s = oracle.series[input.ref];
  const from = input.slice_from ?? 0;
  const to = input.slice_to ?? s.values.length;
  const values = s.values.slice(from, to).map((v) => num(v) * (input.multiply ?? 1));
  return { values, dates: s.dates?.slice(from, to) };
}
const arr = (x: Resolved | number | undefined): number[] => {
  if (x === undefined || typeof x === "number") throw new Error("series expected");
  return x.values;
};
const rate = (x: Resolved | number | undefined): number | number[] =>
  x === undefined ? 0 : typeof x === "number" ? x : x.values;

/** Curve 100 · cumprod(1 + r), 100 prepended, NaN returns as 0; no returns → no curve. */
function equity(returns: number[]): number[] {
  if (returns.length === 0) return [];
  const out = [100];
  for (const r of returns) out.push(out[out.length - 1] * (1 + (Number.isNaN(r) ? 0 : r)));
  return out;
}

const PERIODS: Record<string, number> = { daily: 252, weekly: 52, monthly: 12, quarterly: 4, yearly: 1 };

/** Our value for a case, or undefined for functions we do not offer. */
function evaluate(c: Case): number | number[] | undefined {
  const r = resolve(c.inputs.returns as Ref);
  const ppy = PERIODS[(c.inputs.period as string | undefined) ?? "daily"];
  const returns = arr(r);
  switch (c.function) {
    case "max_drawdown":
      return m.maxDrawdown(equity(returns)).maxDrawdown;
    case "annual_return":
    case "cagr":
      return m.cagr(equity(returns), ppy);
    case "cum_returns_final": {
      const start = (c.inputs.starting_value as number | undefined) ?? 0;
      const total = m.totalReturn(equity(returns));
      return start === 0 ? total : start * (1 + total);
    }
    case "annual_volatility":
      return m.annualVolatility(returns, ppy);
    case "calmar_ratio":
      return m.calmar(equity(returns), ppy);
    case "sharpe_ratio":
      return m.sharpe(returns, ppy, rate(resolve(c.inputs.risk_free as Ref)));
    case "downside_risk":
      return m.downsideRisk(returns, ppy, rate(resolve(c.inputs.required_return as Ref)));
    case "sortino_ratio":
      return m.sortino(returns, ppy, rate(resolve(c.inputs.required_return as Ref)));
    case "omega_ratio":
      return m.omega(
        returns,
        rate(resolve(c.inputs.risk_free as Ref)),
        (c.inputs.required_return as number | undefined) ?? 0,
      );
    case "alpha_beta":
    case "beta": {
      let bench = resolve(c.inputs.factor_returns as Ref) as Resolved;
      let own = r as Resolved;
      if (bench.values.length !== own.values.length) {
        // pandas aligns two series by date: keep the dates both have (none if one has no dates).
        const common = new Set((bench.dates ?? []).filter((d) => own.dates?.includes(d)));
        const pick = (s: Resolved): Resolved => ({ values: s.values.filter((_, i) => common.has(s.dates?.[i] ?? "")) });
        own = pick(own);
        bench = pick(bench);
      }
      const ab = m.alphaBeta(own.values, bench.values, ppy);
      return c.function === "beta" ? ab.beta : [ab.alpha, ab.beta];
    }
    case "tail_ratio":
      return m.tailRatio(returns);
    case "value_at_risk":
      return m.valueAtRisk(returns, (c.inputs.cutoff as number | undefined) ?? 0.05);
    case "conditional_value_at_risk":
      return m.conditionalValueAtRisk(returns, (c.inputs.cutoff as number | undefined) ?? 0.05);
    case "stability_of_timeseries":
      return m.stability(returns);
    default:
      return undefined;
  }
}

const NOT_OFFERED = new Set([
  "excess_sharpe",
  "cum_returns",
  "roll_max_drawdown",
  "roll_sharpe_ratio",
  "capture",
  "up_capture",
  "down_capture",
]);

/**
 * Cases where we knowingly differ, with the value we give instead and why.
 * empyrical's value_at_risk runs numpy.percentile on data with a NaN and returns NaN; every
 * other empyrical metric skips NaN, and so do all of ours: we give the percentile of the 8
 * present returns, sorted [-0.1, -0.04, 0.01, 0.01, 0.02, 0.02, 0.03, 0.1]: rank 7·0.05 = 0.35 →
 * -0.1 + 0.35·(-0.04 + 0.1) = -0.079.
 */
const DIFFERENT: Record<string, number> = { "value_at_risk/mixed_returns/0.05": -0.1 + 0.35 * 0.06 };

function expectNumber(actual: number, expected: number, places: number, label: string): void {
  if (Number.isNaN(expected)) expect(actual, label).toBeNaN();
  else if (!Number.isFinite(expected)) expect(actual, label).toBe(expected);
  else
    expect(Math.abs(actual - expected), `${label}: ours ${actual}, expected ${expected}`).toBeLessThan(
      1.5 * 10 ** -places,
    );
}

describe("empyrical oracle cases", () => {
  const ours = oracle.cases.filter((c) => !NOT_OFFERED.has(c.function));
  it("covers every case of the file except functions we do not offer", () => {
    expect(oracle.cases.length).toBe(163);
    const skipped = oracle.cases.filter((c) => NOT_OFFERED.has(c.function)).length;
    expect(ours.length + skipped).toBe(163);
    expect(ours.length).toBeGreaterThanOrEqual(140);
  });

  for (const c of ours) {
    it(c.id, () => {
      const actual = evaluate(c);
      expect(actual, `${c.function} is mapped`).toBeDefined();
      const places = c.tolerance.decimal_places;
      if (c.id in DIFFERENT) {
        expect(num(c.expected as Num)).toBeNaN();
        expectNumber(actual as number, DIFFERENT[c.id], 12, c.id);
        return;
      }
      if (Array.isArray(c.expected)) {
        const a = actual as number[];
        c.expected.forEach((e, k) => expectNumber(a[k], num(e), places, `${c.id}[${k}]`));
      } else {
        expectNumber(actual as number, num(c.expected), places, c.id);
        // Where the file gives the full-precision library value, hold ourselves to 1e-9 too.
        if (typeof c.library_value === "number" && Number.isFinite(c.library_value)) {
          expect(Math.abs((actual as number) - c.library_value), "vs full-precision library value").toBeLessThan(
            1e-9 * Math.max(1, Math.abs(c.library_value)),
          );
        }
      }
    });
  }
});
