import "server-only";
/**
 * The request or run a log line belongs to, carried through async calls (AsyncLocalStorage on
 * globalThis, so the custom server, Next's bundles and the worker share one store).
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface LogContext {
  requestId?: string;
  runId?: string;
  jobId?: string;
  /** Default subsystem of console lines written in this context. */
  subsystem?: string;
}

const KEY = Symbol.for("strategy-lab.log-context");
type G = typeof globalThis & { [KEY]?: AsyncLocalStorage<LogContext> };

function storage(): AsyncLocalStorage<LogContext> {
  const g = globalThis as G;
  g[KEY] ??= new AsyncLocalStorage<LogContext>();
  return g[KEY];
}

/** Run `fn` with `ctx` added to the current context. */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return storage().run({ ...storage().getStore(), ...ctx }, fn);
}

/** The current context ({} outside any request or run). */
export function currentLogContext(): LogContext {
  return storage().getStore() ?? {};
}
