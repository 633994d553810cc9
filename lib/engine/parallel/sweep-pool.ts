/**
 * A pool of worker threads that splits one sweep's combos into contiguous chunks, one per thread,
 * and reassembles the columnar result in combo order. Keep one pool alive across sweeps: starting a
 * thread costs tens of milliseconds, more than a whole 4,851-combo sweep on a warm pool.
 * Uses only node:worker_threads and node:os; the numeric work is the pure `runSweep`.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BarSeries } from "../../data/bars";
import type { SimConfigInput } from "../config";
import { emptySweepResult, type SweepOptions, type SweepResult } from "../sweep";
import type { SweepChunkRequest, SweepChunkResponse } from "./protocol";

export interface SweepPoolOptions {
  /** Worker threads; default `os.availableParallelism()`. */
  threads?: number;
  /** Node flags for the workers (e.g. `["--import", "tsx"]` when the host does not already load TypeScript). Default: inherit. */
  execArgv?: string[];
}

/** One sweep to run on the pool; `strategy` is a name from SWEEP_STRATEGIES. */
export interface SweepJob<P = unknown> {
  strategy: string;
  series: BarSeries;
  combos: readonly P[];
  config?: SimConfigInput;
  options?: SweepOptions;
}

export interface SweepPool {
  readonly threads: number;
  /** Runs the job across all threads; same numbers as `runSweep` in one thread. */
  run<P>(job: SweepJob<P>): Promise<SweepResult>;
  /** Terminates the threads. */
  close(): Promise<void>;
}

/** Starts `threads` workers and returns a pool to run sweeps on. */
export function createSweepPool(options: SweepPoolOptions = {}): SweepPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const url = new URL("./sweep-worker.ts", import.meta.url);
  const workers = Array.from({ length: threads }, () => new Worker(url, options.execArgv ? { execArgv: options.execArgv } : {}));
  const pending = new Map<number, { resolve: (r: SweepResult) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  for (const w of workers) {
    w.on("message", (msg: SweepChunkResponse) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    });
    w.on("error", (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
  }

  const runChunk = (w: Worker, req: SweepChunkRequest): Promise<SweepResult> =>
    new Promise((resolve, reject) => {
      pending.set(req.id, { resolve, reject });
      w.postMessage(req);
    });

  return {
    threads,
    async run<P>(job: SweepJob<P>): Promise<SweepResult> {
      const total = job.combos.length;
      const per = Math.ceil(total / threads);
      const parts: Promise<SweepResult>[] = [];
      for (let k = 0; k < threads && k * per < total; k++) {
        const chunk = job.combos.slice(k * per, Math.min(total, (k + 1) * per));
        parts.push(runChunk(workers[k], {
          id: nextId++, strategy: job.strategy, series: job.series, combos: chunk as unknown[],
          config: job.config ?? {}, options: job.options ?? {},
        }));
      }
      const results = await Promise.all(parts);
      const out = emptySweepResult(total);
      let offset = 0;
      for (const r of results) {
        out.finalEquity.set(r.finalEquity, offset);
        out.totalReturnPct.set(r.totalReturnPct, offset);
        out.maxDrawdownPct.set(r.maxDrawdownPct, offset);
        out.numTrades.set(r.numTrades, offset);
        out.sharpe.set(r.sharpe, offset);
        offset += r.count;
      }
      return out;
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
