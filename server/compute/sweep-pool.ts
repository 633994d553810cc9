/**
 * A persistent pool of worker threads for sweeps. Per job, the calling thread validates the bars,
 * copies them into shared memory and runs the strategy's `prepare` once with a shared-memory
 * allocator (for the SMA cross: every SMA window and every pair's crossing events); every thread
 * then reads that memory without a copy and claims blocks of combos from a shared atomic counter,
 * so a thread slowed down by other load simply takes fewer blocks. Results are written in place
 * into shared columns. Keep one pool alive across sweeps: starting a thread costs tens of
 * milliseconds, about as much as a whole 4,851-combo sweep on a warm pool.
 * Uses only node:worker_threads and node:os; the numeric work is the pure `runPreparedSweep`.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BarSeries } from "../../lib/data/bars";
import type { SimConfigInput } from "../../lib/engine/config";
import { SHARED_ALLOC } from "../../lib/engine/sweep-cross";
import { emptySweepResult, validateSweepInput, type SweepOptions, type SweepResult } from "../../lib/engine/sweep";
import { SWEEP_STRATEGIES } from "../../lib/engine/sweep-registry";
import type { SweepJobRequest, SweepJobResponse } from "./protocol";

export interface SweepPoolOptions {
  /** Worker threads; default `os.availableParallelism()`. */
  threads?: number;
  /** Node flags for the workers (e.g. `["--import", "tsx"]` when the host does not already load TypeScript). Default: inherit. */
  execArgv?: string[];
}

/** One sweep to run on the pool; `strategy` is a name from SWEEP_STRATEGIES. Do not mutate `combos` once passed (the pool remembers recent lists by identity). */
export interface SweepJob<P = unknown> {
  strategy: string;
  series: BarSeries;
  combos: readonly P[];
  config?: SimConfigInput;
  options?: SweepOptions;
}

export interface SweepPool {
  readonly threads: number;
  /** Runs the job across all threads; same numbers as `runSweep` in one thread. Result columns live in shared memory. */
  run<P>(job: SweepJob<P>): Promise<SweepResult>;
  /** Terminates the threads. */
  close(): Promise<void>;
}

function sharedCopy(x: Float64Array): Float64Array {
  const out = SHARED_ALLOC.f64(x.length);
  out.set(x);
  return out;
}

/** Starts `threads` workers and returns a pool to run sweeps on. */
export function createSweepPool(options: SweepPoolOptions = {}): SweepPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const url = new URL("./sweep-worker.ts", import.meta.url);
  const workers = Array.from({ length: threads }, () => new Worker(url, options.execArgv ? { execArgv: options.execArgv } : {}));
  interface Pending { left: number; error: Error | null; resolve: () => void; reject: (e: Error) => void }
  const pending = new Map<number, Pending>();
  let nextId = 1;
  // The last 4 combo lists sent to every thread (by identity; the threads keep the same 4): a
  // repeated job sends only the id. Callers must not mutate a combo list after passing it.
  const sentCombos = new Map<object, number>();
  let nextCombosId = 1;
  for (const w of workers) {
    w.on("message", (msg: SweepJobResponse) => {
      const p = pending.get(msg.id);
      if (!p) return;
      if (!msg.ok) p.error ??= new Error(msg.error);
      if (--p.left > 0) return;
      pending.delete(msg.id);
      if (p.error) p.reject(p.error);
      else p.resolve();
    });
    w.on("error", (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
  }

  return {
    threads,
    async run<P>(job: SweepJob<P>): Promise<SweepResult> {
      const strategy = SWEEP_STRATEGIES[job.strategy];
      if (!strategy) throw new Error(`unknown sweep strategy "${job.strategy}"`);
      validateSweepInput(job.series);
      const s = job.series;
      const series: BarSeries = {
        symbol: s.symbol, timestampsMs: sharedCopy(s.timestampsMs), open: sharedCopy(s.open), high: sharedCopy(s.high),
        low: sharedCopy(s.low), close: sharedCopy(s.close), volume: sharedCopy(s.volume),
      };
      const total = job.combos.length;
      const cache: unknown = strategy.prepare(series, job.combos, SHARED_ALLOC);
      const result = emptySweepResult(total, SHARED_ALLOC);
      if (total === 0) return result;
      const id = nextId++;
      const known = sentCombos.get(job.combos);
      const combosId = known ?? nextCombosId++;
      if (known === undefined) {
        sentCombos.set(job.combos, combosId);
        if (sentCombos.size > 4) sentCombos.delete(sentCombos.keys().next().value as object);
      }
      const req: SweepJobRequest = {
        id, strategy: job.strategy, series, cache, combosId, combos: known === undefined ? (job.combos as unknown[]) : null,
        config: job.config ?? {},
        options: job.options ?? {}, result, counter: SHARED_ALLOC.i32(1),
        block: Math.max(8, Math.ceil(total / (threads * 32))),
      };
      await new Promise<void>((resolve, reject) => {
        pending.set(id, { left: threads, error: null, resolve, reject });
        for (const w of workers) w.postMessage(req);
      });
      return result;
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
