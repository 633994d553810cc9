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
import { SHARED_ALLOC, type ArrayAlloc } from "../../lib/engine/sweep-cross";
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

/**
 * A bump allocator over one SharedArrayBuffer, reused job after job: allocating fresh shared
 * memory for every job (about 4 MB for the 4,851-combo cross sweep) cost as much as the sweep
 * itself. Arrays are zeroed like fresh ones. When a job needs more than the arena holds, the rest
 * comes from fresh shared memory and the next arena is sized to fit.
 */
class SharedArena implements ArrayAlloc {
  private off = 0;
  used = 0;
  constructor(readonly sab: SharedArrayBuffer) {}
  private take(bytes: number): number {
    const at = (this.off + 7) & ~7;
    this.used = at + bytes;
    if (at + bytes > this.sab.byteLength) return -1;
    this.off = at + bytes;
    return at;
  }
  f64(n: number): Float64Array {
    const at = this.take(n * 8);
    return at < 0 ? SHARED_ALLOC.f64(n) : new Float64Array(this.sab, at, n).fill(0);
  }
  i32(n: number): Int32Array {
    const at = this.take(n * 4);
    return at < 0 ? SHARED_ALLOC.i32(n) : new Int32Array(this.sab, at, n).fill(0);
  }
  i8(n: number): Int8Array {
    const at = this.take(n);
    return at < 0 ? SHARED_ALLOC.i8(n) : new Int8Array(this.sab, at, n).fill(0);
  }
  reset(): void {
    this.off = 0;
    this.used = 0;
  }
}

function sharedCopy(x: Float64Array, alloc: ArrayAlloc): Float64Array {
  const out = alloc.f64(x.length);
  out.set(x);
  return out;
}

/** Starts `threads` workers and returns a pool to run sweeps on. */
export function createSweepPool(options: SweepPoolOptions = {}): SweepPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const url = new URL("./sweep-worker.ts", import.meta.url);
  const workers = Array.from(
    { length: threads },
    () => new Worker(url, options.execArgv ? { execArgv: options.execArgv } : {}),
  );
  interface Pending {
    left: number;
    error: Error | null;
    resolve: () => void;
    reject: (e: Error) => void;
  }
  const pending = new Map<number, Pending>();
  let nextId = 1;
  // The last 4 combo lists sent to every thread (by identity; the threads keep the same 4): a
  // repeated job sends only the id. Callers must not mutate a combo list after passing it.
  const sentCombos = new Map<object, number>();
  let nextCombosId = 1;
  // Arenas not in use by a running job (a job takes one and gives it back when it settles).
  const freeArenas: SharedArena[] = [];
  let arenaBytes = 1 << 20;
  const takeArena = (): SharedArena => {
    const a = freeArenas.pop();
    if (a && a.sab.byteLength >= arenaBytes) return a;
    return new SharedArena(new SharedArrayBuffer(arenaBytes));
  };
  const giveBack = (a: SharedArena): void => {
    if (a.used > a.sab.byteLength) arenaBytes = Math.max(arenaBytes, Math.ceil((a.used * 1.25) / 65536) * 65536);
    a.reset();
    if (a.sab.byteLength >= arenaBytes && freeArenas.length < 2) freeArenas.push(a);
  };
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
      const arena = takeArena();
      try {
        const series: BarSeries = {
          symbol: s.symbol,
          timestampsMs: sharedCopy(s.timestampsMs, arena),
          open: sharedCopy(s.open, arena),
          high: sharedCopy(s.high, arena),
          low: sharedCopy(s.low, arena),
          close: sharedCopy(s.close, arena),
          volume: sharedCopy(s.volume, arena),
        };
        return await runOn(job, strategy, series, arena);
      } finally {
        giveBack(arena);
      }
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };

  async function runOn<P>(
    job: SweepJob<P>,
    strategy: (typeof SWEEP_STRATEGIES)[string],
    series: BarSeries,
    arena: SharedArena,
  ): Promise<SweepResult> {
    const total = job.combos.length;
    const cache: unknown = strategy.prepare(series, job.combos, arena);
    // The result outlives the job: fresh shared memory, not the arena.
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
      id,
      strategy: job.strategy,
      series,
      cache,
      combosId,
      combos: known === undefined ? (job.combos as unknown[]) : null,
      config: job.config ?? {},
      options: job.options ?? {},
      result,
      counter: SHARED_ALLOC.i32(1),
      block: Math.max(8, Math.ceil(total / (threads * 32))),
    };
    await new Promise<void>((resolve, reject) => {
      pending.set(id, { left: threads, error: null, resolve, reject });
      for (const w of workers) w.postMessage(req);
    });
    return result;
  }
}
