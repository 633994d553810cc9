/**
 * A persistent pool of worker threads for sweeps. Per job, the calling thread validates the bars
 * and copies them into shared memory. A strategy with a `parted` prepare (the SMA cross: crossing
 * events by bar range) is prepared by the threads themselves: the calling thread only allocates
 * the shared plan, the threads claim its parts (each files its events in its own segment, so
 * parts never wait for each other) and all start sweeping once every part is done. Other strategies run `prepare` in the calling thread
 * with a shared-memory allocator. Every thread reads the shared cache without a copy and claims
 * blocks of combos from a shared atomic counter, so a thread slowed down by other load simply
 * takes fewer blocks. Results are written in place into shared columns. Keep one pool alive
 * across sweeps: starting a thread costs tens of milliseconds, more than a whole 4,851-combo sweep
 * on a warm pool. Uses only node:worker_threads and node:os; the numeric work is pure `lib/engine`.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BarSeries } from "../../lib/data/bars";
import type { SimConfigInput } from "../../lib/engine/config";
import { SHARED_ALLOC, type ArrayAlloc } from "../../lib/engine/sweep-cross";
import { periodsPerYearOf } from "../../lib/engine/report";
import { emptySweepResult, validateSweepInput, type SweepOptions, type SweepResult } from "../../lib/engine/sweep";
import { SWEEP_STRATEGIES } from "../../lib/engine/sweep-registry";
import { CTRL, type SweepJobRequest, type SweepJobResponse } from "./protocol";

export interface SweepPoolOptions {
  /** Worker threads; default `os.availableParallelism()`. */
  threads?: number;
  /**
   * Let each thread compile the sweep code on synthetic bars as it starts (default true), so the
   * first jobs run at full speed; costs each thread roughly one sweep's worth of CPU at start-up.
   */
  warmUp?: boolean;
  /** Bar ranges a parted prepare is split into; default one per thread. */
  prepareParts?: number;
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

/** Where a pool job's wall time went, in milliseconds (for benchmarks and logs). */
export interface SweepTimings {
  /** Calling thread before the threads get the job: validation, shared copies, plan or whole `prepare`. */
  callerMs: number;
  /** From posting the job until the last thread took it (thread wake-up; scheduling delay under load). */
  wakeMs: number;
  /** From posting the job until the last thread had the prepared cache (wake-up + parted prepare). */
  prepareMs: number;
  /** From then until the last thread ran out of combos. */
  sweepMs: number;
  /** Whole `run`, including the replies. */
  totalMs: number;
  /** CPU time of the threads, summed: in the prepare (parts; waiting excluded) and in the sweep. */
  prepareCpuMs: number;
  sweepCpuMs: number;
  /** Times the job was planned again because the plan had too little room. */
  replans: number;
  /** Combos each thread evaluated. */
  done: number[];
}

export interface SweepPool {
  readonly threads: number;
  /**
   * Runs the job across all threads; same numbers as `runSweep` in one thread. Result columns live
   * in shared memory; `timings` tells where the time went.
   */
  run<P>(job: SweepJob<P>): Promise<SweepResult & { timings: SweepTimings }>;
  /** Terminates the threads. */
  close(): Promise<void>;
}

/**
 * A bump allocator over one SharedArrayBuffer, reused job after job: allocating fresh shared
 * memory for every job (about 4 MB for the 4,851-combo cross sweep) cost as much as the sweep
 * itself. Arrays are zeroed like fresh ones (unless the caller says it overwrites them). When a job needs more than the arena holds, the rest
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
  f64(n: number, overwritten = false): Float64Array {
    const at = this.take(n * 8);
    if (at < 0) return SHARED_ALLOC.f64(n);
    const a = new Float64Array(this.sab, at, n);
    return overwritten ? a : a.fill(0);
  }
  i32(n: number, overwritten = false): Int32Array {
    const at = this.take(n * 4);
    if (at < 0) return SHARED_ALLOC.i32(n);
    const a = new Int32Array(this.sab, at, n);
    return overwritten ? a : a.fill(0);
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
  const out = alloc.f64(x.length, true);
  out.set(x);
  return out;
}

/** Starts `threads` workers and returns a pool to run sweeps on. */
export function createSweepPool(options: SweepPoolOptions = {}): SweepPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const prepareParts = Math.max(1, options.prepareParts ?? threads);
  const url = new URL("./sweep-worker.ts", import.meta.url);
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(url, {
        ...(options.execArgv ? { execArgv: options.execArgv } : {}),
        workerData: { warmUp: options.warmUp ?? true },
      }),
  );
  interface Pending {
    ctrl: Int32Array;
    left: number;
    error: Error | null;
    replies: Extract<SweepJobResponse, { ok: true }>[];
    resolve: (replies: Extract<SweepJobResponse, { ok: true }>[]) => void;
    reject: (e: Error) => void;
  }
  const pending = new Map<number, Pending>();
  let nextId = 1;
  // The last 4 combo lists sent to every thread (by identity; the threads keep the same 4): a
  // repeated job sends only the id. Callers must not mutate a combo list after passing it. With
  // each, the room its last parted prepare needed (a repeated job plans with that, plus a margin).
  const sentCombos = new Map<object, { id: number; room: number }>();
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
      if (!msg.ok) {
        if (!msg.secondary || !p.error) p.error = new Error(msg.error);
      } else p.replies.push(msg);
      if (--p.left > 0) return;
      pending.delete(msg.id);
      if (p.error) p.reject(p.error);
      else p.resolve(p.replies);
    });
    w.on("error", (e) => {
      for (const p of pending.values()) {
        // Release the other threads from any wait on this job's prepare.
        Atomics.store(p.ctrl, CTRL.FAILED, 1);
        Atomics.notify(p.ctrl, CTRL.SCANNED);
        p.reject(e);
      }
      pending.clear();
    });
  }

  return {
    threads,
    async run<P>(job: SweepJob<P>): Promise<SweepResult & { timings: SweepTimings }> {
      const t0 = now();
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
        return await runOn(job, strategy, series, arena, t0);
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
    start: number,
  ): Promise<SweepResult & { timings: SweepTimings }> {
    let t0 = start;
    const total = job.combos.length;
    // Bars per year from the caller's own timestamps (remembered per array), not each thread's copy.
    const sweepOptions: SweepOptions = {
      ...job.options,
      periodsPerYear: job.options?.periodsPerYear ?? periodsPerYearOf(job.series.timestampsMs),
    };
    const known = sentCombos.get(job.combos);
    const combosId = known?.id ?? nextCombosId++;
    if (!known) {
      sentCombos.set(job.combos, { id: combosId, room: 0 });
      if (sentCombos.size > 4) sentCombos.delete(sentCombos.keys().next().value as object);
    }
    const parted = strategy.parted;
    // A repeated combo list plans with the room it needed last time (+25 % for another symbol).
    let room = known && known.room > 0 ? Math.ceil(known.room * 1.25) : undefined;
    // The result outlives the job: fresh shared memory, not the arena.
    const result = emptySweepResult(total, SHARED_ALLOC);
    const timings: SweepTimings = {
      callerMs: 0,
      wakeMs: 0,
      prepareMs: 0,
      sweepMs: 0,
      totalMs: 0,
      prepareCpuMs: 0,
      sweepCpuMs: 0,
      replans: 0,
      done: [],
    };
    if (total === 0) return Object.assign(result, { timings });
    let combosSent = known !== undefined;
    for (;;) {
      const plan: unknown = parted ? parted.plan(series, job.combos, arena, prepareParts, room) : null;
      const cache: unknown = parted ? null : strategy.prepare(series, job.combos, arena);
      const ctrl = SHARED_ALLOC.i32(CTRL.length);
      const id = nextId++;
      const req: SweepJobRequest = {
        id,
        strategy: job.strategy,
        series,
        cache,
        plan,
        combosId,
        combos: combosSent ? null : (job.combos as unknown[]),
        config: job.config ?? {},
        options: sweepOptions,
        result,
        ctrl,
        block: Math.max(8, Math.ceil(total / (threads * 32))),
      };
      combosSent = true;
      const postAt = now();
      timings.callerMs += postAt - t0;
      const replies = await new Promise<Extract<SweepJobResponse, { ok: true }>[]>((resolve, reject) => {
        pending.set(id, { ctrl, left: threads, error: null, replies: [], resolve, reject });
        for (const w of workers) w.postMessage(req);
      });
      const preparedAt = Math.max(...replies.map((r) => r.preparedAt));
      timings.wakeMs += Math.max(...replies.map((r) => r.startAt)) - postAt;
      timings.prepareMs += preparedAt - postAt;
      timings.sweepMs += Math.max(...replies.map((r) => r.endAt)) - preparedAt;
      timings.done = replies.map((r) => r.done);
      for (const r of replies) {
        timings.prepareCpuMs += r.prepareCpuMs;
        timings.sweepCpuMs += r.sweepCpuMs;
      }
      const entry = sentCombos.get(job.combos);
      if (entry) entry.room = ctrl[CTRL.ROOM];
      if (ctrl[CTRL.OVERFLOW] === 0) break;
      // A part had too little room: plan again with what the parts asked for.
      room = ctrl[CTRL.ROOM];
      timings.replans++;
      t0 = now();
    }
    timings.totalMs = now() - start;
    return Object.assign(result, { timings });
  }
}

const now = () => performance.timeOrigin + performance.now();
