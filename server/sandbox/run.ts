import type { SignalArrays } from "@/lib/engine/signals";
import type { StrategyBars } from "@/lib/sdk/types";
import { prepareStrategyOrThrow, type PreparedStrategy } from "./check-source";
import { decodeOutput } from "./decode-output";
import { SandboxError } from "./errors";
import type { KeyedInputs, SandboxPool } from "./pool";
import {
  FUNDAMENTAL_COLUMNS,
  MODULE_PREFIX,
  PRICE_COLUMNS,
  wrapModule,
  type JobFailure,
  type JobSymbol,
  type ResultMessage,
} from "./protocol";
import { originalPosition } from "./source-map";

/** One symbol's input: aligned Float64Arrays (fundamentals optional, all six or none). */
export interface SandboxInput {
  symbol: string;
  bars: Omit<StrategyBars, "symbol">;
}

/** Per-call limits; defaults come from the pool (30 s CPU, 128 MB). */
export interface SandboxRunOptions {
  timeoutMs?: number;
  memoryMb?: number;
}

/** A parameter declaration as plain JSON (see lib/sdk ParamSpec). */
export type ParamSpecJson = Record<string, string | number | boolean | (string | number | boolean | null)[]>;

/** What a strategy declares about itself, read by running its module body in the sandbox. */
export interface StrategyInfo {
  name: string;
  description: string;
  params: Record<string, ParamSpecJson>;
  fundamentals: boolean;
  macro: string[];
}

/** Signals plus what the strategy printed. */
export interface SandboxRunResult {
  signals: SignalArrays[];
  /** Console output, at most 64 KiB. */
  logs: string;
  /** Console calls dropped once the cap was reached. */
  logsDropped: number;
  /** Isolate CPU time used by the call, ms (undefined when the isolate was recycled). */
  cpuMs?: number;
}

type ParamValues = Record<string, number | boolean | string>;

/**
 * Turns source into checked CommonJS. Always {@link prepareStrategyOrThrow} in the app; tests
 * substitute a transpile-only step to probe the isolate behind the static checks.
 */
export type Prepare = (source: string) => PreparedStrategy;

/** A symbol's job entry without its data, and the columns its data is packed from. */
interface InputMeta {
  entry: JobSymbol;
  columns: Float64Array[];
  bytes: number;
}

function describeInput(input: SandboxInput, index: number): InputMeta {
  const symbol = typeof input?.symbol === "string" ? input.symbol : `#${index}`;
  const bars = input?.bars;
  if (!bars || typeof bars !== "object") throw new TypeError(`${symbol}: bars are missing`);
  const n = bars.close instanceof Float64Array ? bars.close.length : -1;
  if (n < 0) throw new TypeError(`${symbol}: bars.close must be a Float64Array`);
  const given = FUNDAMENTAL_COLUMNS.filter((c) => bars[c] !== undefined);
  if (given.length !== 0 && given.length !== FUNDAMENTAL_COLUMNS.length)
    throw new TypeError(
      `${symbol}: fundamentals must include all of ${FUNDAMENTAL_COLUMNS.join(", ")} (got ${given.join(", ")})`,
    );
  const names = given.length ? [...PRICE_COLUMNS, ...FUNDAMENTAL_COLUMNS] : [...PRICE_COLUMNS];
  const macro = bars.macro && typeof bars.macro === "object" ? Object.keys(bars.macro) : [];
  const column = (name: string, col: unknown): Float64Array => {
    if (!(col instanceof Float64Array)) throw new TypeError(`${symbol}: bars.${name} must be a Float64Array`);
    if (col.length !== n) throw new TypeError(`${symbol}: bars.${name} has ${col.length} values but close has ${n}`);
    return col;
  };
  const columns = [
    ...names.map((name) => column(name, bars[name])),
    ...macro.map((id) => column(`macro.${id}`, bars.macro?.[id])),
  ];
  const sector = typeof bars.sector === "string" ? bars.sector.slice(0, 200) : "";
  return {
    entry: { symbol, n, data: new Float64Array(0), fundamentals: given.length > 0, sector, macro },
    columns,
    bytes: columns.length * n * 8,
  };
}

/** The columns one after the other in one array (the layout the harness reads). */
function packColumns(meta: InputMeta): Float64Array {
  const n = meta.entry.n;
  const data = new Float64Array(meta.columns.length * n);
  meta.columns.forEach((col, c) => data.set(col, c * n));
  return data;
}

function checkParams(params: ParamValues): string {
  if (typeof params !== "object" || params === null)
    throw new TypeError("params must be an object of numbers, booleans or strings");
  for (const [key, value] of Object.entries(params))
    if (!["number", "boolean", "string"].includes(typeof value))
      throw new TypeError(`param "${key}" must be a number, boolean or string (got ${typeof value})`);
  return JSON.stringify(params);
}

const MEMORY_MESSAGE = /allocation failed|invalid (typed )?array length|invalid string length|out of memory/i;

function toError(failure: JobFailure, prepared: PreparedStrategy, logs: string, timeoutMs: number): SandboxError {
  const symbol = typeof failure.symbol === "string" ? failure.symbol : undefined;
  const where = symbol ? ` (symbol ${symbol})` : "";
  const message = typeof failure.message === "string" ? failure.message.slice(0, 2000) : "";
  const extra = { logs, symbol };
  switch (failure.kind) {
    case "runtime": {
      let pos: { line: number; column: number } | undefined;
      if (typeof failure.line === "number" && typeof failure.column === "number") {
        const col0 = failure.column - 1 - (failure.line === 1 ? MODULE_PREFIX.length : 0);
        pos = originalPosition(prepared.map, failure.line, Math.max(0, col0));
      }
      if (MEMORY_MESSAGE.test(message))
        return new SandboxError(
          "MEMORY_LIMIT",
          `The strategy tried to allocate more memory than allowed${where}: ${message}`,
          { ...extra, ...pos },
        );
      const at = pos ? ` at line ${pos.line}, column ${pos.column}` : "";
      return new SandboxError("RUNTIME_ERROR", `The strategy threw${at}${where}: ${message}`, { ...extra, ...pos });
    }
    case "output":
      return new SandboxError("INVALID_OUTPUT", `Invalid strategy output${where}: ${message}`, extra);
    case "too-large":
      return new SandboxError("OUTPUT_TOO_LARGE", `Strategy output too large${where}: ${message}`, extra);
    case "host":
      if (failure.code === "TIMEOUT")
        return new SandboxError(
          "TIMEOUT",
          `The strategy ran past its time limit (${timeoutMs} ms) and was stopped.`,
          extra,
        );
      if (failure.code === "MEMORY_LIMIT")
        return new SandboxError("MEMORY_LIMIT", "The strategy used more memory than allowed and was stopped.", extra);
      if (failure.code === "INVALID_SOURCE")
        return new SandboxError("INVALID_SOURCE", `The strategy could not be compiled: ${message}`, extra);
      return new SandboxError("CRASHED", `The sandbox failed while running the strategy: ${message}`, extra);
    default:
      return new SandboxError("CRASHED", `The sandbox failed while running the strategy: ${message}`, extra);
  }
}

async function execute(
  pool: SandboxPool,
  op: "inspect" | "run",
  source: string,
  symbols: JobSymbol[],
  params: string,
  opts: SandboxRunOptions,
  prepare: Prepare,
  keyed?: KeyedInputs,
): Promise<{ result: ResultMessage; prepared: PreparedStrategy }> {
  const prepared = prepare(source);
  const timeoutMs = Math.max(1, opts.timeoutMs ?? pool.timeoutMs);
  const memoryMb = Math.max(8, Math.floor(opts.memoryMb ?? pool.memoryMb));
  const result = await pool.exec({ op, js: wrapModule(prepared.js), params, symbols, timeoutMs, memoryMb }, keyed);
  if (!result.ok)
    throw toError(
      result.error ?? { kind: "internal", message: "no error detail" },
      prepared,
      result.logs ?? "",
      timeoutMs,
    );
  return { result, prepared };
}

function readInfo(raw: unknown): StrategyInfo {
  const info = raw as Partial<StrategyInfo> | null;
  if (!info || typeof info.name !== "string" || typeof info.description !== "string" || typeof info.params !== "object")
    throw new SandboxError("INVALID_OUTPUT", "The strategy definition could not be read.");
  return {
    name: info.name,
    description: info.description,
    params: { ...info.params },
    fundamentals: info.fundamentals === true,
    macro: readMacro(info.macro),
  };
}

/** Macro series ids as the SDK allows them (defineStrategy checks the same; a plain exported object is checked here). */
function readMacro(raw: unknown): string[] {
  const ids = Array.isArray(raw) ? raw : [];
  if (ids.length > 16 || !ids.every((m) => typeof m === "string" && /^[A-Z0-9_]{1,40}$/.test(m)))
    throw new SandboxError(
      "INVALID_OUTPUT",
      'The strategy definition could not be read: `macro` must be a list of at most 16 series ids (upper-case letters, digits and _, e.g. "DGS10").',
    );
  return [...new Set(ids as string[])];
}

/** Runs the module body in the sandbox and returns the declared name, description, params and fundamentals flag. */
export async function inspectWith(
  pool: SandboxPool,
  source: string,
  opts: SandboxRunOptions = {},
  prepare: Prepare = prepareStrategyOrThrow,
): Promise<StrategyInfo> {
  const { result } = await execute(pool, "inspect", source, [], "{}", opts, prepare);
  return readInfo(result.info);
}

/**
 * Runs `signals()` once per input symbol inside one sandbox call. `cacheKeys[i]` (optional) names
 * input i's data: a child that already holds it is not sent it again (StrategyRunner.signals).
 */
export async function runWith(
  pool: SandboxPool,
  source: string,
  inputs: SandboxInput[],
  params: ParamValues,
  opts: SandboxRunOptions = {},
  prepare: Prepare = prepareStrategyOrThrow,
  cacheKeys?: readonly (string | undefined)[],
): Promise<SandboxRunResult> {
  if (!Array.isArray(inputs)) throw new TypeError("inputs must be an array of { symbol, bars }");
  const metas = inputs.map(describeInput);
  const keyed =
    cacheKeys && cacheKeys.some((k) => typeof k === "string" && k !== "")
      ? {
          keys: metas.map((_, i) =>
            typeof cacheKeys[i] === "string" && cacheKeys[i] !== "" ? cacheKeys[i] : undefined,
          ),
          bytes: metas.map((m) => m.bytes),
          pack: (i: number) => packColumns(metas[i]),
        }
      : undefined;
  // Without a key a symbol's data is packed now; keyed ones only when the child needs them.
  const symbols = metas.map((m, i) =>
    keyed && keyed.keys[i] !== undefined ? m.entry : { ...m.entry, data: packColumns(m) },
  );
  const { result } = await execute(pool, "run", source, symbols, checkParams(params), opts, prepare, keyed);
  const outputs = result.outputs ?? [];
  if (outputs.length !== symbols.length)
    throw new SandboxError("CRASHED", `The sandbox returned ${outputs.length} results for ${symbols.length} symbols.`);
  const signals = outputs.map((buf, i) => decodeOutput(buf, symbols[i].n, symbols[i].symbol));
  return { signals, logs: result.logs, logsDropped: result.logsDropped, cpuMs: result.cpuMs };
}
