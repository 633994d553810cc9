/**
 * Messages between the sweep pool and its worker threads. Bulk data (bars, the strategy's prepared
 * cache or prepare plan, the result columns, the control words) lives in SharedArrayBuffers:
 * posting them shares the memory instead of copying it, and each thread writes in place.
 */
import type { BarSeries } from "../../lib/data/bars";
import type { SimConfigInput } from "../../lib/engine/config";
import type { SweepOptions, SweepResult } from "../../lib/engine/sweep";

/**
 * Slots of `SweepJobRequest.ctrl` (shared Int32Array). A parted prepare goes: threads claim parts
 * from CLAIM and count them in SCANNED; the thread that scans the last part runs the join and
 * sets JOINED; each thread then finishes its own parts and counts them in FINISHED; every thread
 * starts the sweep once FINISHED reaches the part count. FAILED stops everyone.
 */
export const CTRL = {
  /** Next combo to claim (the sweep's work counter). */
  NEXT: 0,
  /** Next prepare part to claim. */
  CLAIM: 1,
  /** Parts scanned. */
  SCANNED: 2,
  /** 0 = not yet joined, 1 = joined, 2 = the plan had too little room (see ROOM). */
  JOINED: 3,
  /** Parts finished. */
  FINISHED: 4,
  /** Room the joined result needs (the pool plans a repeated job with it). */
  ROOM: 5,
  /** 1 once a thread has failed. */
  FAILED: 6,
  length: 7,
} as const;

/** One sweep, sent to every thread; threads claim `block` combos at a time from `ctrl[CTRL.NEXT]`. */
export interface SweepJobRequest {
  id: number;
  strategy: string;
  series: BarSeries;
  /** Prepared by the calling thread; null when the threads prepare from `plan`. */
  cache: unknown;
  /** The strategy's `parted` plan, or null. */
  plan: unknown;
  /** Identifies the combos list; `combos` is sent only the first time a thread sees it. */
  combosId: number;
  combos: unknown[] | null;
  config: SimConfigInput;
  options: SweepOptions;
  result: SweepResult;
  ctrl: Int32Array;
  block: number;
}

/**
 * Reply once the thread finds no more combos to claim (`done` = combos it evaluated). Times are
 * epoch milliseconds (`performance.timeOrigin + performance.now()`): when the thread took the job,
 * had the cache and was done; CPU times are this thread's own.
 */
export type SweepJobResponse =
  | {
      id: number;
      ok: true;
      done: number;
      startAt: number;
      preparedAt: number;
      endAt: number;
      prepareCpuMs: number;
      sweepCpuMs: number;
    }
  /** `secondary`: this thread stopped because another one failed (its error is the one to report). */
  | { id: number; ok: false; error: string; secondary: boolean };
