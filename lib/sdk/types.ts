/**
 * The contract between user strategy code and Strategy Lab: parameter declarations, the
 * aligned bar arrays a strategy reads, and the signal arrays it returns.
 * Everything here is data-only so it can cross the sandbox boundary as plain values.
 */
import type { ta } from "../indicators/index";

/** An integer parameter: `min <= value <= max`, `(value - min) % step === 0` (step defaults to 1). */
export interface IntParamSpec {
  type: "int";
  min: number;
  max: number;
  step?: number;
  default: number;
  description?: string;
}

/** A real-valued parameter: `min <= value <= max`; when `step` is given, on the grid `min + k·step`. */
export interface FloatParamSpec {
  type: "float";
  min: number;
  max: number;
  step?: number;
  default: number;
  description?: string;
}

/** An on/off switch. */
export interface BooleanParamSpec {
  type: "boolean";
  default: boolean;
  description?: string;
}

/** One of a fixed list of strings. */
export interface EnumParamSpec {
  type: "enum";
  options: readonly string[];
  default: string;
  description?: string;
}

/** One parameter declaration; drives validation, the parameter form and the optimizers. */
export type ParamSpec = IntParamSpec | FloatParamSpec | BooleanParamSpec | EnumParamSpec;

/** A strategy's parameter declarations by name. */
export type ParamSpecs = Record<string, ParamSpec>;

/** The value type one declaration resolves to. */
export type ParamValue<S extends ParamSpec> = S extends BooleanParamSpec
  ? boolean
  : S extends { type: "enum"; options: readonly (infer O)[] }
    ? O
    : number;

/** Resolved parameter values, keyed like the declarations. */
export type ParamValues<P extends ParamSpecs = ParamSpecs> = { [K in keyof P]: ParamValue<P[K]> };

/** Fundamental fields a strategy can ask for; each is a Float64Array aligned with the bars (NaN = unknown). */
export const FUNDAMENTAL_FIELDS = ["marketCap", "pe", "eps", "revenue", "pb", "debtToEquity"] as const;
export type FundamentalField = (typeof FUNDAMENTAL_FIELDS)[number];

/**
 * What `signals()` receives for one symbol: every array has the bars' length and index `i`
 * is the same bar everywhere. `timestamps` are UTC milliseconds of each bar's start.
 * Fundamentals are present only when the strategy declares `fundamentals: true`; they are
 * NaN where unknown, and `sector` is "" when unknown.
 */
export interface StrategyBars {
  symbol?: string;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  timestamps: Float64Array;
  marketCap?: Float64Array;
  pe?: Float64Array;
  eps?: Float64Array;
  revenue?: Float64Array;
  pb?: Float64Array;
  debtToEquity?: Float64Array;
  sector?: string;
  /**
   * Macro series the strategy declared in `macro` (FRED ids such as DGS10), by id, on the bars'
   * clock: each bar holds the latest value published before it (NaN before the first).
   */
  macro?: Record<string, Float64Array>;
}

/**
 * What `signals()` returns for one symbol, each array as long as the bars.
 * Flags are truthy/falsy per bar (1/0 or true/false); a flag on bar i acts on bar i's close
 * information (the engine fills it on bar i+1's open by default). Numeric arrays use NaN for "none".
 */
export interface StrategyOutput {
  entries: ArrayLike<number | boolean>;
  exits: ArrayLike<number | boolean>;
  shortEntries?: ArrayLike<number | boolean>;
  shortExits?: ArrayLike<number | boolean>;
  /** Ranking value, higher is better (screens, and choosing among more entries than free slots). */
  score?: ArrayLike<number>;
  /** Absolute stop-loss price for a position opened on this bar's signal. */
  stopLoss?: ArrayLike<number>;
  /** Absolute take-profit price for a position opened on this bar's signal. */
  takeProfit?: ArrayLike<number>;
  /** Confidence of the signal in [0, 1]. */
  confidence?: ArrayLike<number>;
}

/** The indicator library handed to `signals()` as its third argument (same object as the SDK's `ta` export). */
export type Ta = typeof ta;

/**
 * One strategy: a name, parameter declarations and a pure `signals` function.
 * The same definition runs as a backtest (every bar), a screen (last bar) and an alert (newest bars).
 */
export interface StrategyDefinition<P extends ParamSpecs = ParamSpecs> {
  name: string;
  description?: string;
  params: P;
  /** true = the bars carry fundamentals (marketCap, pe, eps, revenue, pb, debtToEquity, sector). */
  fundamentals?: boolean;
  /** Macro series read as extra inputs, by FRED id (e.g. ["DGS10", "UNRATE"]); `bars.macro.DGS10`. Hydrate them first (`data hydrate --provider fred`). */
  macro?: readonly string[];
  signals(bars: StrategyBars, params: ParamValues<P>, ta: Ta): StrategyOutput;
}
