/**
 * Code generated from arbitrary plans (the evolution search's genomes) does exactly what the
 * plan says: seeded random plans over every block kind are written as code, run in the real
 * sandbox and compared bar by bar with the plan's direct evaluation.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  formatPlan,
  generateCode,
  rulePlan,
  type Condition,
  type Distance,
  type RulePlan,
  type Series,
} from "@/lib/rules";
import { checkFaithfulness } from "@/server/ai/faithfulness";
import { demoSample } from "@/server/ai/universe-data";
import { shutdownSandbox } from "@/server/sandbox";

afterAll(() => shutdownSandbox());

/** mulberry32: a small seeded generator, so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function planGenerator(seed: number) {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const field = () => pick(["close", "close", "open", "high", "low"] as const);
  const oscillators: (() => { s: Series; lo: number; hi: number })[] = [
    () => ({ s: { kind: "rsi", period: int(2, 30) }, lo: 10, hi: 90 }),
    () => ({
      s: { kind: "stochastic", line: pick(["k", "d"] as const), period: int(5, 21), dPeriod: int(2, 5) },
      lo: 10,
      hi: 90,
    }),
    () => ({ s: { kind: "williamsR", period: int(5, 30) }, lo: -90, hi: -10 }),
    () => ({ s: { kind: "cci", period: int(10, 40) }, lo: -150, hi: 150 }),
    () => ({
      s: { kind: "adx", line: pick(["adx", "plusDI", "minusDI"] as const), period: int(7, 28) },
      lo: 10,
      hi: 40,
    }),
    () => ({ s: { kind: "roc", field: "close", period: int(5, 120) }, lo: -10, hi: 10 }),
    () => ({ s: { kind: "zscore", field: "close", period: int(10, 60) }, lo: -2, hi: 2 }),
    () => ({
      s: {
        kind: "macd",
        line: pick(["macd", "signal", "histogram"] as const),
        fast: int(5, 15),
        slow: int(20, 40),
        signal: int(5, 12),
      },
      lo: -1,
      hi: 1,
    }),
  ];
  const priceLike = (): Series =>
    pick([
      () => ({ kind: "ma", type: pick(["sma", "ema", "wma"] as const), field: "close", period: int(5, 200) }) as Series,
      () =>
        ({
          kind: "bollinger",
          band: pick(["upper", "middle", "lower"] as const),
          period: int(10, 40),
          mult: pick([1.5, 2, 2.5]),
        }) as Series,
      () => ({ kind: "highest", field: pick(["high", "close"] as const), period: int(5, 100) }) as Series,
      () => ({ kind: "lowest", field: pick(["low", "close"] as const), period: int(5, 100) }) as Series,
      () => ({ kind: "price", field: field(), lag: int(1, 5) }) as Series,
    ])();
  const level = (lo: number, hi: number) => Number((lo + r() * (hi - lo)).toFixed(2));
  const atom = (): Condition =>
    pick([
      () => {
        const o = pick(oscillators)();
        return {
          kind: "compare",
          left: o.s,
          op: pick(["above", "below"] as const),
          right: { kind: "level", value: level(o.lo, o.hi) },
        } as Condition;
      },
      () => {
        const o = pick(oscillators)();
        return {
          kind: "cross",
          left: o.s,
          dir: pick(["above", "below"] as const),
          right: { kind: "level", value: level(o.lo, o.hi) },
        } as Condition;
      },
      () => {
        const o = pick(oscillators)();
        const a = level(o.lo, o.hi);
        const b = level(o.lo, o.hi);
        return { kind: "between", left: o.s, low: Math.min(a, b), high: Math.max(a, b) } as Condition;
      },
      () =>
        ({
          kind: "compare",
          left: { kind: "price", field: "close", lag: 0 },
          op: pick(["above", "below"] as const),
          right: {
            kind: "series",
            series: priceLike(),
            ...pick([{}, { pct: level(-8, 8) }, { atrs: { value: level(-2, 2), period: int(5, 20) } }]),
          },
        }) as Condition,
      () =>
        ({
          kind: "cross",
          left: { kind: "ma", type: "ema", field: "close", period: int(3, 30) },
          dir: pick(["above", "below"] as const),
          right: { kind: "series", series: priceLike() },
        }) as Condition,
      () =>
        ({
          kind: "compare",
          left: { kind: "price", field: "volume", lag: 0 },
          op: "above",
          right: {
            kind: "series",
            series: { kind: "ma", type: "sma", field: "volume", period: int(5, 50) },
            times: level(0.8, 2),
          },
        }) as Condition,
      () =>
        ({
          kind: "trend",
          left: pick([{ kind: "price", field: "close", lag: 0 }, pick(oscillators)().s]) as Series,
          dir: pick(["rising", "falling"] as const),
          bars: int(1, 4),
        }) as Condition,
      () => ({ kind: "gap", dir: pick(["up", "down"] as const), pct: level(0.2, 2) }) as Condition,
      () =>
        ({
          kind: "compare",
          left: { kind: "fundamental", field: pick(["pe", "pb", "debtToEquity"] as const) },
          op: pick(["above", "below"] as const),
          right: { kind: "level", value: level(0.5, 25) },
        }) as Condition,
    ])();
  const condition = (depth: number): Condition => {
    if (depth > 1 || r() < 0.5) return atom();
    const of = Array.from({ length: int(2, 3) }, () => condition(depth + 1));
    return { kind: pick(["all", "any"] as const), of } as Condition;
  };
  const distance = (): Distance | null =>
    pick([
      null,
      { unit: "pct", value: level(1, 15) },
      { unit: "atr", value: level(0.5, 4), period: int(5, 30) },
    ] as const) as Distance | null;
  return (): RulePlan => ({
    version: 1,
    side: r() < 0.25 ? "short" : "long",
    entry: condition(0),
    exit: r() < 0.7 ? condition(1) : null,
    stopLoss: distance(),
    takeProfit: distance(),
    trailingStop: distance(),
    maxHoldBars: r() < 0.5 ? int(1, 60) : null,
    score: null,
  });
}

describe("code from random plans", () => {
  it("matches the plan's direct evaluation on every signal bar for 60 seeded plans", async () => {
    const data = demoSample("demo-500", 4, 3);
    const next = planGenerator(20261205);
    let signalBars = 0;
    for (let k = 0; k < 60; k++) {
      const plan = next();
      expect(rulePlan.safeParse(plan).success, `plan ${k} is valid: ${formatPlan(plan)}`).toBe(true);
      const code = generateCode(plan);
      const check = await checkFaithfulness(plan, code, data, { symbols: 4 });
      expect(check.ok ? check.first : check.error, `plan ${k}: ${formatPlan(plan)}`).toBeNull();
      if (check.ok) signalBars += check.signalBars;
    }
    expect(signalBars, "the plans fire often enough to compare").toBeGreaterThan(5000);
  }, 180_000);
});
