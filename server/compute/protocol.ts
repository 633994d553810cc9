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
 * from CLAIM, run them independently and count them in SCANNED; every thread starts the sweep once
 * SCANNED reaches the part count (the one that runs the last part does not wait at all). A part
 * without enough room sets OVERFLOW and raises ROOM; then the job is planned again. FAILED stops
 * everyone.
 */
export const CTRL = {
  /** Next combo to claim (the sweep's work counter). */
  NEXT: 0,
  /** Next prepare part to claim. */
  CLAIM: 1,
  /** Parts done. */
  SCANNED: 2,
  /** 1 when a part had too little room (see ROOM). */
  OVERFLOW: 3,
  /** Largest room the parts asked for (the pool plans a repeated job with it). */
  ROOM: 4,
  /** 1 once a thread has failed. */
  FAILED: 5,
  length: 6,
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
