/**
 * Turning what `signals()` returned into the engine's {@link SignalArrays}: checks lengths and
 * value types and copies into typed arrays, so a wrong shape is an error naming the output,
 * the symbol and the bar instead of a silent wrong number.
 */
import type { SignalArrays } from "../engine/signals";
import type { StrategyBars, StrategyOutput } from "./types";

/** A strategy's output does not have the expected shape. */
export class StrategyOutputError extends Error {
  constructor(
    readonly symbol: string,
    readonly output: string,
    message: string,
    readonly bar?: number,
  ) {
    super(message);
    this.name = "StrategyOutputError";
  }
}

const FLAG_KEYS = ["entries", "exits", "shortEntries", "shortExits"] as const;
const NUMBER_KEYS = ["score", "stopLoss", "takeProfit", "confidence"] as const;

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return ArrayBuffer.isView(x) || Array.isArray(x);
}

function flagArray(symbol: string, key: string, raw: unknown, length: number): Uint8Array {
  if (!isArrayLike(raw))
    throw new StrategyOutputError(symbol, key, `${symbol}: "${key}" must be an array of flags, one per bar`);
  if (raw.length !== length)
    throw new StrategyOutputError(
      symbol,
      key,
      `${symbol}: "${key}" has ${raw.length} values but there are ${length} bars`,
    );
  if (raw instanceof Uint8Array) {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = raw[i] ? 1 : 0;
    return out;
  }
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const v = raw[i];
    if (typeof v === "boolean") out[i] = v ? 1 : 0;
    else if (typeof v === "number" && (v === 0 || v === 1 || Number.isNaN(v))) out[i] = v === 1 ? 1 : 0;
    else
      throw new StrategyOutputError(
        symbol,
        key,
        `${symbol}: "${key}"[${i}] must be true/false or 1/0, got ${String(v)}`,
        i,
      );
  }
  return out;
}

function numberArray(symbol: string, key: string, raw: unknown, length: number, unit: boolean): Float64Array {
  if (!isArrayLike(raw))
    throw new StrategyOutputError(symbol, key, `${symbol}: "${key}" must be an array of numbers, one per bar`);
  if (raw.length !== length)
    throw new StrategyOutputError(
      symbol,
      key,
      `${symbol}: "${key}" has ${raw.length} values but there are ${length} bars`,
    );
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = raw[i];
    if (typeof v !== "number" || v === Infinity || v === -Infinity)
      throw new StrategyOutputError(
        symbol,
        key,
        `${symbol}: "${key}"[${i}] must be a finite number or NaN, got ${String(v)}`,
        i,
      );
    if (unit && (v < 0 || v > 1))
      throw new StrategyOutputError(symbol, key, `${symbol}: "${key}"[${i}] must lie in [0, 1], got ${v}`, i);
    out[i] = v;
  }
  return out;
}

/**
 * Validate and copy one symbol's output. `entries` and `exits` are required; the rest are kept
 * only when present. Flags accept booleans, 0/1 and NaN (= 0); numbers accept finite values
 * and NaN ("none"); `confidence` must lie in [0, 1].
 */
export function normalizeOutput(raw: unknown, length: number, symbol = "?"): SignalArrays {
  if (typeof raw !== "object" || raw === null)
    throw new StrategyOutputError(symbol, "", `${symbol}: signals() must return an object with entries and exits`);
  const o = raw as Record<string, unknown>;
  for (const key of ["entries", "exits"] as const) {
    if (o[key] === undefined)
      throw new StrategyOutputError(symbol, key, `${symbol}: signals() returned no "${key}" array`);
  }
  const out: SignalArrays = {
    entries: flagArray(symbol, "entries", o.entries, length),
    exits: flagArray(symbol, "exits", o.exits, length),
  };
  for (const key of FLAG_KEYS.slice(2)) if (o[key] !== undefined) out[key] = flagArray(symbol, key, o[key], length);
  for (const key of NUMBER_KEYS) {
    if (o[key] !== undefined) out[key] = numberArray(symbol, key, o[key], length, key === "confidence");
  }
  return out;
}

/** Keys of {@link StrategyOutput} in a stable order (flags first). */
export const OUTPUT_KEYS: readonly (keyof StrategyOutput)[] = [...FLAG_KEYS, ...NUMBER_KEYS];

/** The first `length` bars of every array in `bars` (views, no copy). */
export function sliceBars(bars: StrategyBars, length: number): StrategyBars {
  const out: StrategyBars = { ...bars };
  for (const [key, value] of Object.entries(bars)) {
    if (value instanceof Float64Array) (out as unknown as Record<string, unknown>)[key] = value.subarray(0, length);
  }
  if (bars.macro)
    out.macro = Object.fromEntries(Object.entries(bars.macro).map(([id, v]) => [id, v.subarray(0, length)]));
  return out;
}
