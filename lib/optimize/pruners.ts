/**
 * Pruners: decide from a running trial's intermediate values whether to stop it. Steps are
 * resource levels (e.g. 0 = 10 % of the symbols, 1 = 30 %, 2 = 100 %).
 */
import type { Direction, Trial } from "./types";

export interface Pruner {
  readonly kind: "none" | "median" | "asha";
  /** Should `trial`, which just reported `value` at `step`, stop? `trials` = the study's other trials. */
  shouldPrune(trial: Trial, step: number, value: number, trials: readonly Trial[], dir: Direction): boolean;
}

function valueAt(t: Trial, step: number): number | undefined {
  const iv = t.intermediate;
  if (!iv) return undefined;
  for (const [s, v] of iv) if (s === step) return v;
  return undefined;
}

export class NopPruner implements Pruner {
  readonly kind = "none" as const;
  shouldPrune(): boolean {
    return false;
  }
}

/**
 * Median pruner (Optuna's MedianPruner): after `nStartupTrials` complete trials and
 * `nWarmupSteps` steps, prune when the value is worse than the median of the complete trials'
 * intermediate values at the same step.
 */
export class MedianPruner implements Pruner {
  readonly kind = "median" as const;
  constructor(
    readonly nStartupTrials = 5,
    readonly nWarmupSteps = 0,
  ) {}
  shouldPrune(trial: Trial, step: number, value: number, trials: readonly Trial[], dir: Direction): boolean {
    if (step < this.nWarmupSteps) return false;
    const complete = trials.filter((t) => t.state === "complete" && t.number !== trial.number);
    if (complete.length < this.nStartupTrials) return false;
    const vals = complete
      .map((t) => valueAt(t, step))
      .filter((v): v is number => v !== undefined && Number.isFinite(v))
      .sort((a, b) => a - b);
    if (vals.length === 0) return false;
    const m = vals.length % 2 ? vals[(vals.length - 1) / 2] : (vals[vals.length / 2 - 1] + vals[vals.length / 2]) / 2;
    if (!Number.isFinite(value)) return true;
    return dir === "maximize" ? value < m : value > m;
  }
}

/**
 * Asynchronous successive halving (Li et al. 2020; Optuna's SuccessiveHalvingPruner with
 * min_resource 1): each step is a rung; a trial continues past a rung only if its value is within
 * the top ⌊n/η⌋ (at least the best) of the n values reported at that rung so far, itself included.
 */
export class AshaPruner implements Pruner {
  readonly kind = "asha" as const;
  constructor(readonly reductionFactor = 3) {}
  shouldPrune(trial: Trial, step: number, value: number, trials: readonly Trial[], dir: Direction): boolean {
    if (!Number.isFinite(value)) return true;
    const competing = trials
      .filter((t) => t.number !== trial.number)
      .map((t) => valueAt(t, step))
      .filter((v): v is number => v !== undefined && Number.isFinite(v));
    competing.push(value);
    competing.sort((a, b) => (dir === "maximize" ? b - a : a - b));
    let idx = Math.floor(competing.length / this.reductionFactor) - 1;
    if (idx < 0) idx = 0;
    const threshold = competing[idx];
    return dir === "maximize" ? value < threshold : value > threshold;
  }
}

export type PrunerKind = "none" | "median" | "asha";
export function createPruner(kind: PrunerKind): Pruner {
  return kind === "median" ? new MedianPruner() : kind === "asha" ? new AshaPruner() : new NopPruner();
}
