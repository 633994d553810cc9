import "server-only";
import type { SignalArrays } from "@/lib/engine/signals";
import { SandboxPool, type SandboxPoolOptions, type SandboxStats } from "./pool";
import {
  inspectWith,
  runWith,
  type SandboxInput,
  type SandboxRunOptions,
  type SandboxRunResult,
  type StrategyInfo,
} from "./run";

/**
 * The strategy sandbox: static checks, then execution in isolated-vm isolates hosted by
 * supervised child processes. See README.md in this folder for the design.
 */
export { checkStrategySource } from "./check-source";
export { SandboxError, type SandboxErrorCode, type SourceError } from "./errors";
export { SandboxPool, type SandboxPoolOptions, type SandboxStats } from "./pool";
export type { ParamSpecJson, SandboxInput, SandboxRunOptions, SandboxRunResult, StrategyInfo } from "./run";

const GLOBAL_KEY = Symbol.for("strategy-lab.sandbox-pool");
type Holder = { [GLOBAL_KEY]?: SandboxPool };

/**
 * The process-wide pool (kept on globalThis so dev reloads reuse it). Options apply only
 * when the pool is created; call {@link shutdownSandbox} first to change them.
 */
export function getSandboxPool(options?: SandboxPoolOptions): SandboxPool {
  const holder = globalThis as Holder;
  let pool = holder[GLOBAL_KEY];
  if (!pool) {
    pool = new SandboxPool(options);
    holder[GLOBAL_KEY] = pool;
  }
  return pool;
}

/** Kills the pool's child processes; the next call starts a fresh pool. */
export function shutdownSandbox(): void {
  const holder = globalThis as Holder;
  holder[GLOBAL_KEY]?.shutdown();
  delete holder[GLOBAL_KEY];
}

/** Counters of the process-wide pool (zeros when none is running). */
export function sandboxStats(): SandboxStats {
  const pool = (globalThis as Holder)[GLOBAL_KEY];
  return pool?.stats() ?? { runs: 0, failures: 0, timeouts: 0, restarts: 0, workers: 0, busy: 0, queued: 0, pids: [] };
}

/**
 * Runs the strategy module body in the sandbox and returns its declaration as plain JSON.
 * Throws {@link SandboxError} (INVALID_SOURCE, RUNTIME_ERROR, TIMEOUT, …).
 */
export function inspectStrategy(source: string, opts?: SandboxRunOptions): Promise<StrategyInfo> {
  return inspectWith(getSandboxPool(), source, opts);
}

/**
 * Runs `signals(bars, params, ta)` for every input symbol in one sandbox call and returns
 * validated arrays aligned with each symbol's bars (same order as `inputs`). Missing params
 * take their declared defaults. Throws {@link SandboxError}; bad inputs throw TypeError.
 */
export async function runStrategySignals(
  source: string,
  inputs: SandboxInput[],
  params: Record<string, number | boolean | string>,
  opts?: SandboxRunOptions,
  cacheKeys?: readonly (string | undefined)[],
): Promise<SignalArrays[]> {
  return (await runWith(getSandboxPool(), source, inputs, params, opts, undefined, cacheKeys)).signals;
}

/** Like {@link runStrategySignals}, also returning console output and CPU time. */
export function runStrategy(
  source: string,
  inputs: SandboxInput[],
  params: Record<string, number | boolean | string>,
  opts?: SandboxRunOptions,
): Promise<SandboxRunResult> {
  return runWith(getSandboxPool(), source, inputs, params, opts);
}
