/**
 * Messages between the sweep pool and its worker threads. Bulk data (bars, the strategy's prepared
 * cache, the result columns, the work counter) lives in SharedArrayBuffers: posting them shares the
 * memory instead of copying it, and each thread writes its combos' results in place.
 */
import type { BarSeries } from "../../lib/data/bars";
import type { SimConfigInput } from "../../lib/engine/config";
import type { SweepOptions, SweepResult } from "../../lib/engine/sweep";

/** One sweep, sent to every thread; threads claim `block` combos at a time from `counter[0]`. */
export interface SweepJobRequest {
  id: number;
  strategy: string;
  series: BarSeries;
  cache: unknown;
  /** Identifies the combos list; `combos` is sent only the first time a thread sees it. */
  combosId: number;
  combos: unknown[] | null;
  config: SimConfigInput;
  options: SweepOptions;
  result: SweepResult;
  counter: Int32Array;
  block: number;
}

/** Reply once the thread finds no more combos to claim (`done` = combos it evaluated). */
export type SweepJobResponse = { id: number; ok: true; done: number } | { id: number; ok: false; error: string };
