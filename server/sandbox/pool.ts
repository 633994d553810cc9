import { metrics, secondsSince } from "@/server/ops/metrics";
import { SandboxError } from "./errors";
import type { JobMessage, ResultMessage } from "./protocol";
import { defaultRuntimeEntry, runtimeBundle } from "./runtime-bundle";
import { SandboxWorker, resolveChildScript } from "./worker-process";

/** Pool settings; every field has a default. */
export interface SandboxPoolOptions {
  /** Child processes kept (each hosts one isolate and runs one job at a time). Default 2. */
  size?: number;
  /** SDK runtime module bundled into each isolate. Default `<cwd>/lib/sdk/runtime.ts`. */
  runtimeEntry?: string;
  /** Child entry script. Default: child-host.mjs beside this file, else `<cwd>/server/sandbox/child-host.mjs`. */
  childScript?: string;
  /** CPU budget per call, ms. Default 30,000. */
  timeoutMs?: number;
  /** Isolate heap limit, MB. Default 128. */
  memoryMb?: number;
}

/** Counters for health checks and the benchmark. */
export interface SandboxStats {
  /** Jobs finished (successfully or not). */
  runs: number;
  failures: number;
  timeouts: number;
  /** Child processes that died and were replaced (kills after a timeout included). */
  restarts: number;
  workers: number;
  busy: number;
  queued: number;
  pids: number[];
}

type Job = Omit<JobMessage, "type" | "id">;

/**
 * Inputs of a job whose data may already sit in the child: `keys[i]` names symbol i's data
 * (undefined: not kept), `pack(i)` builds it when it has to be sent. The job's symbols carry
 * everything but the data.
 */
export interface KeyedInputs {
  keys: readonly (string | undefined)[];
  /** Size of symbol i's data, bytes. */
  bytes: readonly number[];
  pack(i: number): Float64Array;
}

const NO_DATA = new Float64Array(0);

/**
 * A small pool of supervised sandbox child processes. Jobs queue when every child is
 * busy; a child that dies (crash, wall-clock kill) is dropped and a new one is started on
 * the next job, so one hostile strategy never takes the app or the pool down.
 */
export class SandboxPool {
  readonly size: number;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  private readonly runtimeEntry: string;
  private readonly childScript: string;
  private readonly workers = new Set<SandboxWorker>();
  private readonly waiters: { resolve: (w: SandboxWorker) => void; reject: (err: unknown) => void }[] = [];
  private closed = false;
  private counters = { runs: 0, failures: 0, timeouts: 0, restarts: 0 };

  constructor(options: SandboxPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? 2));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.memoryMb = options.memoryMb ?? 128;
    this.runtimeEntry = options.runtimeEntry ?? defaultRuntimeEntry();
    this.childScript = options.childScript ?? resolveChildScript();
  }

  /**
   * Runs one job in a free child; the wall-clock kill fires at the CPU budget plus a margin. With
   * `keyed`, symbols whose data the child already holds are sent without it (and sent again in
   * full when the child answers that it no longer has them).
   */
  async exec(job: Job, keyed?: KeyedInputs): Promise<ResultMessage> {
    const worker = await this.acquire();
    const bytes = job.symbols.reduce((sum, s, i) => sum + (keyed ? keyed.bytes[i] : s.data.byteLength), 0);
    const wallMs = job.timeoutMs + Math.max(2_000, job.timeoutMs / 2) + bytes / 50_000;
    const started = performance.now();
    try {
      let result: ResultMessage;
      for (let attempt = 0; ; attempt++) {
        const symbols = keyed
          ? job.symbols.map((s, i) => {
              const key = keyed.keys[i];
              if (key === undefined) return s;
              if (attempt === 0 && worker.held.touch(key)) return { ...s, key, data: NO_DATA };
              const data = keyed.pack(i);
              worker.held.use(key, data.byteLength);
              return { ...s, key, data };
            })
          : job.symbols;
        result = await worker.run({ ...job, symbols }, wallMs);
        if (!result.missing?.length || attempt > 0) break;
        for (const k of result.missing) worker.held.forget(k);
      }
      this.counters.runs++;
      if (!result.ok) this.counters.failures++;
      observeSandboxCall(started, result.ok ? null : (result.error?.code ?? result.error?.kind ?? "internal"));
      if (result.heapBytes !== undefined) metrics().sandboxHeap.set(result.heapBytes);
      return result;
    } catch (err) {
      this.counters.runs++;
      this.counters.failures++;
      if (err instanceof SandboxError && err.code === "TIMEOUT") this.counters.timeouts++;
      observeSandboxCall(started, err instanceof SandboxError ? err.code : "CRASHED");
      throw err;
    } finally {
      this.release(worker);
    }
  }

  stats(): SandboxStats {
    const workers = [...this.workers];
    return {
      ...this.counters,
      workers: workers.length,
      busy: workers.filter((w) => w.busy).length,
      queued: this.waiters.length,
      pids: workers.flatMap((w) => (w.pid === undefined ? [] : [w.pid])),
    };
  }

  /** Kills every child; later calls fail. */
  shutdown(): void {
    this.closed = true;
    for (const w of this.workers) w.kill();
    this.workers.clear();
    for (const waiter of this.waiters.splice(0))
      waiter.reject(new SandboxError("CRASHED", "The sandbox has been shut down."));
  }

  private async acquire(): Promise<SandboxWorker> {
    if (this.closed) throw new SandboxError("CRASHED", "The sandbox has been shut down.");
    const free = [...this.workers].find((w) => !w.busy && !w.dead);
    if (free) {
      free.busy = true;
      return free;
    }
    if (this.workers.size < this.size) {
      const runtimeJs = await runtimeBundle(this.runtimeEntry);
      if (this.workers.size < this.size) {
        const worker = new SandboxWorker(this.childScript, runtimeJs, (w) => this.onWorkerExit(w));
        worker.busy = true;
        this.workers.add(worker);
        try {
          await worker.ready;
        } catch (err) {
          this.workers.delete(worker);
          throw err;
        }
        return worker;
      }
    }
    return new Promise<SandboxWorker>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private release(worker: SandboxWorker): void {
    worker.busy = false;
    const next = this.waiters.shift();
    if (!next) return;
    if (!worker.dead) {
      worker.busy = true;
      next.resolve(worker);
      return;
    }
    this.acquire().then(next.resolve, next.reject);
  }

  private onWorkerExit(worker: SandboxWorker): void {
    if (!this.workers.delete(worker) || this.closed) return;
    this.counters.restarts++;
  }
}

/** Count one sandbox call in the process's metrics (`errorType` null = success). */
function observeSandboxCall(startedMs: number, errorType: string | null): void {
  const m = metrics();
  const outcome = errorType === null ? "ok" : "error";
  m.sandboxCalls.inc({ outcome });
  m.sandboxDuration.observe({ outcome }, secondsSince(startedMs));
  if (errorType !== null) m.sandboxErrors.inc({ type: errorType.toLowerCase() });
}
