/**
 * Type declarations of the `@strategy-lab/sdk` module as text, for the browser editor
 * (`monaco.languages.typescript.typescriptDefaults.addExtraLib(SDK_DTS, SDK_DTS_PATH)`).
 * Written by hand to read well in hover tips; tests/lib/sdk/sdk-dts.test.ts keeps it in step
 * with the runtime exports and the `ta` object.
 */

/**
 * TypeScript options of the browser editor, as plain values (Monaco's enums: ScriptTarget.ESNext
 * = 99, ModuleKind.ESNext = 99, ModuleResolutionKind.NodeJs = 2). The editor and the test that
 * type-checks strategies through Monaco's own TypeScript worker both use these.
 */
export const EDITOR_COMPILER_OPTIONS = {
  target: 99,
  module: 99,
  moduleResolution: 2,
  allowNonTsExtensions: true,
  strict: true,
  noEmit: true,
} as const;

/** Virtual file name to register the declarations under. */
export const SDK_DTS_PATH = "file:///node_modules/@strategy-lab/sdk/index.d.ts";

/** The declarations. */
export const SDK_DTS = `declare module "@strategy-lab/sdk" {
  /** Integer parameter: min <= value <= max, on the grid min + k·step (step defaults to 1). */
  export interface IntParamSpec { type: "int"; min: number; max: number; step?: number; default: number; description?: string }
  /** Real-valued parameter: min <= value <= max, on the grid min + k·step when step is given. */
  export interface FloatParamSpec { type: "float"; min: number; max: number; step?: number; default: number; description?: string }
  /** On/off switch. */
  export interface BooleanParamSpec { type: "boolean"; default: boolean; description?: string }
  /** One of a fixed list of strings. */
  export interface EnumParamSpec { type: "enum"; options: readonly string[]; default: string; description?: string }
  export type ParamSpec = IntParamSpec | FloatParamSpec | BooleanParamSpec | EnumParamSpec;
  export type ParamSpecs = Record<string, ParamSpec>;
  export type ParamValue<S extends ParamSpec> = S extends BooleanParamSpec ? boolean : S extends { type: "enum"; options: readonly (infer O)[] } ? O : number;
  export type ParamValues<P extends ParamSpecs = ParamSpecs> = { [K in keyof P]: ParamValue<P[K]> };

  /**
   * One symbol's aligned arrays; index i is the same bar everywhere. timestamps are UTC ms of
   * each bar's start. Fundamentals are present only with \`fundamentals: true\` (NaN = unknown).
   */
  export interface StrategyBars {
    symbol?: string;
    open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array;
    timestamps: Float64Array;
    marketCap?: Float64Array; pe?: Float64Array; eps?: Float64Array; revenue?: Float64Array;
    pb?: Float64Array; debtToEquity?: Float64Array; sector?: string;
    /** Macro series declared in \`macro\`, by id, on the bars' clock (latest value published before each bar; NaN before the first). */
    macro?: Record<string, Float64Array>;
  }

  /**
   * What signals() returns, every array as long as the bars. A flag on bar i uses bar i's
   * close; the engine fills it on bar i+1's open by default. Numbers use NaN for "none".
   */
  export interface StrategyOutput {
    entries: ArrayLike<number | boolean>;
    exits: ArrayLike<number | boolean>;
    shortEntries?: ArrayLike<number | boolean>;
    shortExits?: ArrayLike<number | boolean>;
    /** Ranking value, higher is better (screens; choosing among more entries than free slots). */
    score?: ArrayLike<number>;
    /** Absolute stop-loss price for a position opened on this bar's signal. */
    stopLoss?: ArrayLike<number>;
    /** Absolute take-profit price for a position opened on this bar's signal. */
    takeProfit?: ArrayLike<number>;
    /** Confidence of the signal in [0, 1]. */
    confidence?: ArrayLike<number>;
  }

  type Series = ArrayLike<number>;
  /** Indicators: new Float64Array aligned with the input, NaN during warm-up. */
  export interface Ta {
    /** Simple moving average. Warm-up period - 1. */
    sma(src: Series, period: number): Float64Array;
    /** Exponential moving average, alpha 2/(period+1), seeded with the SMA. Warm-up period - 1. */
    ema(src: Series, period: number, options?: { seed?: "sma" | "first" }): Float64Array;
    /** Linearly weighted moving average. Warm-up period - 1. */
    wma(src: Series, period: number): Float64Array;
    /** Wilder's moving average (alpha 1/period). Warm-up period - 1. */
    rma(src: Series, period: number): Float64Array;
    /** MACD line, signal line and histogram. */
    macd(close: Series, fast?: number, slow?: number, signal?: number): { macd: Float64Array; signal: Float64Array; histogram: Float64Array };
    /** Average directional index with +DI / -DI (Wilder). */
    adx(high: Series, low: Series, close: Series, period?: number): { adx: Float64Array; plusDI: Float64Array; minusDI: Float64Array; dx: Float64Array };
    /** Relative strength index (Wilder), 0..100. Warm-up period. */
    rsi(close: Series, period?: number): Float64Array;
    /** Stochastic oscillator %K and %D, 0..100. */
    stochastic(high: Series, low: Series, close: Series, kPeriod?: number, dPeriod?: number, smooth?: number): { k: Float64Array; d: Float64Array };
    /** Williams %R, -100..0. Warm-up period - 1. */
    williamsR(high: Series, low: Series, close: Series, period?: number): Float64Array;
    /** Commodity channel index. Warm-up period - 1. */
    cci(high: Series, low: Series, close: Series, period?: number): Float64Array;
    /** Rate of change in percent over period bars. Warm-up period. */
    roc(src: Series, period: number): Float64Array;
    /** Average true range (Wilder). Warm-up period. */
    atr(high: Series, low: Series, close: Series, period?: number): Float64Array;
    /** True range. */
    trueRange(high: Series, low: Series, close: Series): Float64Array;
    /** Bollinger Bands: SMA ± mult × population std. Warm-up period - 1. */
    bollinger(src: Series, period?: number, mult?: number): { upper: Float64Array; middle: Float64Array; lower: Float64Array };
    /** On-balance volume. */
    obv(close: Series, volume: Series): Float64Array;
    /** Volume-weighted average price over a rolling window (anchored at bar 0 without a period). */
    vwap(high: Series, low: Series, close: Series, volume: Series, period?: number): Float64Array;
    /** Rolling standard deviation (population unless sample: true). Warm-up period - 1. */
    rollingStd(src: Series, period: number, options?: { sample?: boolean }): Float64Array;
    /** Rolling minimum over period bars including the current one. Warm-up period - 1. */
    rollingMin(src: Series, period: number): Float64Array;
    /** Rolling maximum over period bars including the current one. Warm-up period - 1. */
    rollingMax(src: Series, period: number): Float64Array;
    /** Highest value of the last period bars including the current one. Warm-up period - 1. */
    highest(src: Series, period: number): Float64Array;
    /** Lowest value of the last period bars including the current one. Warm-up period - 1. */
    lowest(src: Series, period: number): Float64Array;
    /** (src - rolling mean) / rolling std. Warm-up period - 1. */
    zscore(src: Series, period: number): Float64Array;
    /** The series delayed by n >= 0 bars: out[i] = src[i - n]. */
    shift(src: Series, n: number): Float64Array;
    /** Fractional change over n bars: src[i] / src[i - n] - 1. */
    pctChange(src: Series, n?: number): Float64Array;
    /** 1 where a crosses above b (a[i-1] <= b[i-1] and a[i] > b[i]), else 0. */
    crossover(a: Series, b: Series | number): Uint8Array;
    /** 1 where a crosses below b (a[i-1] >= b[i-1] and a[i] < b[i]), else 0. */
    crossunder(a: Series, b: Series | number): Uint8Array;
  }
  /** The indicator library (also passed to signals() as its third argument). */
  export const ta: Ta;

  /** A strategy: a name, parameter declarations and a pure signals function. */
  export interface StrategyDefinition<P extends ParamSpecs = ParamSpecs> {
    name: string;
    description?: string;
    params: P;
    /** true = the bars carry fundamentals (marketCap, pe, eps, revenue, pb, debtToEquity, sector). */
    fundamentals?: boolean;
    /** Macro series read as extra inputs, by FRED id (e.g. ["DGS10"]): \`bars.macro.DGS10\`. */
    macro?: readonly string[];
    signals(bars: StrategyBars, params: ParamValues<P>, ta: Ta): StrategyOutput;
  }
  /** Declare a strategy; \`export default defineStrategy({ … })\`. */
  export function defineStrategy<const P extends ParamSpecs>(def: StrategyDefinition<P>): StrategyDefinition<P>;

  type Flags = ArrayLike<number | boolean>;
  /** 1 where every flag is truthy. */
  export function and(...flags: Flags[]): Uint8Array;
  /** 1 where any flag is truthy. */
  export function or(...flags: Flags[]): Uint8Array;
  /** 1 where the flag is falsy. */
  export function not(flags: Flags): Uint8Array;
  /** 1 where predicate(i) holds, for i in [0, length). */
  export function mask(length: number, predicate: (i: number) => boolean): Uint8Array;
  /** length copies of value (NaN by default). */
  export function fill(length: number, value?: number): Float64Array;
  /** Carry the last non-NaN value forward. */
  export function ffill(values: ArrayLike<number>): Float64Array;
  /** cond[i] ? a[i] : b[i]; a and b may be constants. */
  export function where(cond: Flags, a: ArrayLike<number> | number, b: ArrayLike<number> | number): Float64Array;
  /** Bars since the flag was last truthy (0 on a flagged bar), NaN before the first. */
  export function barsSince(flags: Flags): Float64Array;
  /** Clamp into [lo, hi] (default [0, 1]); NaN stays NaN. */
  export function clamp(values: ArrayLike<number>, lo?: number, hi?: number): Float64Array;
}
`;
