/**
 * The rule language: composable, serializable blocks that describe a trading strategy.
 * One schema, three uses: the offline parser's output, the hosted model's structured plan,
 * and the evolution search's genome. Every number sits inside explicit bounds (see
 * {@link BOUNDS}) so a plan that parses is always one the code generator can write.
 * Plans are plain JSON; `version` changes when a block's meaning changes.
 */
import { z } from "zod";

/** Version of the block vocabulary; a stored plan with another version must be migrated first. */
export const RULES_VERSION = 1;

/** Inclusive bounds of every tunable number, by role. Periods and bar counts are integers. */
export const BOUNDS = {
  period: { min: 1, max: 520, int: true },
  bars: { min: 1, max: 260, int: true },
  pct: { min: 0.01, max: 1000, int: false },
  times: { min: 0.01, max: 100, int: false },
  stdDevs: { min: 0.1, max: 10, int: false },
  atrMultiple: { min: 0.1, max: 20, int: false },
  level: { min: -1e12, max: 1e15, int: false },
} as const;
export type BoundKind = keyof typeof BOUNDS;

const bounded = (kind: BoundKind) => {
  const b = BOUNDS[kind];
  const n = z.number().min(b.min).max(b.max);
  return b.int ? n.int() : n;
};
const period = bounded("period");

/** Price columns a series can read. */
export const priceField = z.enum(["open", "high", "low", "close", "volume"]);
export type PriceField = z.infer<typeof priceField>;

/** Fundamental columns (NaN where unknown). Market cap is in dollars. */
export const fundamentalField = z.enum(["pe", "pb", "marketCap", "debtToEquity"]);
export type FundamentalField = z.infer<typeof fundamentalField>;

/**
 * A number per bar. `lag` on a price reads that many bars back (1 = the previous bar).
 * `highest`/`lowest` cover the `period` bars *before* the current one (a channel the current
 * bar can break). `roc` is the percent change over `period` bars.
 */
export const series = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("price"),
    field: priceField,
    lag: z.number().int().min(0).max(BOUNDS.bars.max).default(0),
  }),
  z.object({ kind: z.literal("ma"), type: z.enum(["sma", "ema", "wma"]), field: priceField, period }),
  z.object({ kind: z.literal("rsi"), period }),
  z.object({
    kind: z.literal("macd"),
    line: z.enum(["macd", "signal", "histogram"]),
    fast: period,
    slow: period,
    signal: period,
  }),
  z.object({
    kind: z.literal("bollinger"),
    band: z.enum(["upper", "middle", "lower"]),
    period,
    mult: bounded("stdDevs"),
  }),
  z.object({ kind: z.literal("atr"), period }),
  z.object({ kind: z.literal("adx"), line: z.enum(["adx", "plusDI", "minusDI"]), period }),
  z.object({ kind: z.literal("stochastic"), line: z.enum(["k", "d"]), period, dPeriod: period }),
  z.object({ kind: z.literal("williamsR"), period }),
  z.object({ kind: z.literal("cci"), period }),
  z.object({ kind: z.literal("roc"), field: priceField, period }),
  z.object({ kind: z.literal("zscore"), field: priceField, period }),
  z.object({ kind: z.literal("highest"), field: priceField, period }),
  z.object({ kind: z.literal("lowest"), field: priceField, period }),
  z.object({ kind: z.literal("fundamental"), field: fundamentalField }),
]);
export type Series = z.infer<typeof series>;

/** The right-hand side of a comparison: a constant level, or a series optionally scaled. */
export const operand = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("level"), value: bounded("level") }),
  z.object({
    kind: z.literal("series"),
    series,
    /** right × times (e.g. volume above 2× its average). */
    times: bounded("times").optional(),
    /** right × (1 + pct/100); negative = below (e.g. close 5% below its 20-day high). */
    pct: z.number().min(-99).max(BOUNDS.pct.max).optional(),
    /** right + atrs.value × ATR(atrs.period); negative = below (e.g. close 2 ATR above its 20-day SMA). */
    atrs: z.object({ value: z.number().min(-BOUNDS.atrMultiple.max).max(BOUNDS.atrMultiple.max), period }).optional(),
  }),
]);
export type Operand = z.infer<typeof operand>;

/** A true/false test per bar. */
export type Condition =
  | { kind: "compare"; left: Series; op: "above" | "below"; right: Operand }
  | { kind: "cross"; left: Series; dir: "above" | "below"; right: Operand }
  | { kind: "between"; left: Series; low: number; high: number }
  | { kind: "trend"; left: Series; dir: "rising" | "falling"; bars: number }
  | { kind: "gap"; dir: "up" | "down"; pct: number }
  | { kind: "sector"; sectors: string[] }
  | { kind: "all"; of: Condition[] }
  | { kind: "any"; of: Condition[] };

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("compare"), left: series, op: z.enum(["above", "below"]), right: operand }),
    z.object({ kind: z.literal("cross"), left: series, dir: z.enum(["above", "below"]), right: operand }),
    z.object({ kind: z.literal("between"), left: series, low: bounded("level"), high: bounded("level") }),
    z.object({ kind: z.literal("trend"), left: series, dir: z.enum(["rising", "falling"]), bars: bounded("bars") }),
    z.object({ kind: z.literal("gap"), dir: z.enum(["up", "down"]), pct: bounded("pct") }),
    z.object({ kind: z.literal("sector"), sectors: z.array(z.string().min(1).max(60)).min(1).max(20) }),
    z.object({ kind: z.literal("all"), of: z.array(condition).min(1).max(12) }),
    z.object({ kind: z.literal("any"), of: z.array(condition).min(1).max(12) }),
  ]),
) as z.ZodType<Condition>;

/** A distance from the entry (stop, target, trailing stop): percent of price or ATR multiples. */
export const distance = z.discriminatedUnion("unit", [
  z.object({ unit: z.literal("pct"), value: z.number().min(0.01).max(99) }),
  z.object({ unit: z.literal("atr"), value: bounded("atrMultiple"), period }),
]);
export type Distance = z.infer<typeof distance>;

/** Ranking for screens: the series, and whether high or low values rank first. */
export const score = z.object({ series, order: z.enum(["high", "low"]) });
export type Score = z.infer<typeof score>;

/**
 * A whole strategy. `entry` opens a position on `side`; the position closes on the first of
 * `exit`, the trailing stop (measured from the best close since entry) and `maxHoldBars`.
 * `stopLoss`/`takeProfit` become absolute price levels the engine enforces.
 */
export const rulePlan = z.object({
  version: z.literal(RULES_VERSION),
  side: z.enum(["long", "short"]),
  entry: condition,
  exit: condition.nullable(),
  stopLoss: distance.nullable(),
  takeProfit: distance.nullable(),
  trailingStop: distance.nullable(),
  maxHoldBars: bounded("bars").nullable(),
  score: score.nullable(),
});
export type RulePlan = z.infer<typeof rulePlan>;
