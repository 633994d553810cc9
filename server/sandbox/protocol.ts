/**
 * Messages between the app and the sandbox child process (child-host.mjs). Sent over the
 * fork IPC channel with `serialization: "advanced"`, so typed arrays and ArrayBuffers travel
 * as bytes; nothing else but primitives and plain records crosses.
 */

/** One symbol's bars, packed column after column into a single Float64Array. */
export interface JobSymbol {
  symbol: string;
  /** Bars per column. */
  n: number;
  /** open, high, low, close, volume, timestamps, then (when `fundamentals`) marketCap, pe, eps, revenue, pb, debtToEquity. */
  data: Float64Array;
  fundamentals: boolean;
  sector: string;
  /** Ids of the macro columns packed after the price (and fundamental) columns, in order. */
  macro: string[];
  /**
   * Names this symbol's data (the same key always means the same data). The child keeps keyed
   * data between jobs; `data` is then empty when the host knows the child holds it.
   */
  key?: string;
}

export interface JobMessage {
  type: "job";
  id: number;
  op: "inspect" | "run";
  /** Checked CommonJS of the strategy wrapped by {@link wrapModule}: a script whose value is the module factory. */
  js: string;
  /** JSON of the parameter values. */
  params: string;
  symbols: JobSymbol[];
  /** CPU budget for the whole job (isolate time), ms. */
  timeoutMs: number;
  memoryMb: number;
}

export interface InitMessage {
  type: "init";
  runtimeJs: string;
}

/** What the harness or child reports when a job fails. */
export interface JobFailure {
  /** runtime: user code threw; output: bad shape; too-large; host: isolated-vm error (code set); internal. */
  kind: "runtime" | "output" | "too-large" | "host" | "internal";
  code?: string;
  message: string;
  line?: number;
  column?: number;
  symbol?: string;
}

export interface ResultMessage {
  type: "result";
  id: number;
  ok: boolean;
  info?: unknown;
  /** One packed output buffer per symbol, in input order. */
  outputs?: ArrayBuffer[];
  error?: JobFailure;
  logs: string;
  logsDropped: number;
  cpuMs?: number;
  /** Keys of symbols sent without data that the child does not hold (nothing was run): send again with the data. */
  missing?: string[];
  /** Isolate heap in use after the call (used + external), bytes; absent when the isolate was disposed. */
  heapBytes?: number;
}

export interface ReadyMessage {
  type: "ready";
  pid: number;
}

export type ChildMessage = ResultMessage | ReadyMessage;

/** Column order inside {@link JobSymbol.data}. */
export const PRICE_COLUMNS = ["open", "high", "low", "close", "volume", "timestamps"] as const;
export const FUNDAMENTAL_COLUMNS = ["marketCap", "pe", "eps", "revenue", "pb", "debtToEquity"] as const;
/** Bit k of the output mask: flags 0..3, numbers 4..7 (same order as the harness). */
export const FLAG_FIELDS = ["entries", "exits", "shortEntries", "shortExits"] as const;
export const NUMBER_FIELDS = ["score", "stopLoss", "takeProfit", "confidence"] as const;

/** Put before the user's CommonJS on line 1, so every later line keeps its number. */
export const MODULE_PREFIX = "(function (exports, require, module) {";

/** Makes the user's CommonJS a script whose completion value is its module factory. */
export function wrapModule(js: string): string {
  return `${MODULE_PREFIX}${js}\n})`;
}
