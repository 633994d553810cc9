/**
 * Sweepable strategies by name, so a worker thread can rebuild the strategy from a message
 * (functions do not cross thread boundaries). Add an entry to make a strategy parallel-sweepable.
 */
import { smaCrossSweep, type SweepStrategy } from "./sweep";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SWEEP_STRATEGIES: Record<string, SweepStrategy<any, any>> = {
  [smaCrossSweep.name]: smaCrossSweep,
};

/** Name of a registered sweep strategy. */
export type SweepStrategyName = keyof typeof SWEEP_STRATEGIES & string;
