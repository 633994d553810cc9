/** Messages between the sweep pool and its worker threads (structured-clone friendly). */
import type { BarSeries } from "../../data/bars";
import type { SimConfigInput } from "../config";
import type { SweepOptions, SweepResult } from "../sweep";

export interface SweepChunkRequest {
  id: number;
  strategy: string;
  series: BarSeries;
  combos: unknown[];
  config: SimConfigInput;
  options: SweepOptions;
}

export type SweepChunkResponse =
  | { id: number; ok: true; result: SweepResult }
  | { id: number; ok: false; error: string };
