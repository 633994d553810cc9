/** When a study stops: a trial budget, a timeout (clock injected), or patience without improvement. */
import { type Direction, type Trial, better, isScored } from "./types";

export type StopReason = "n_trials" | "timeout" | "patience" | "grid_exhausted" | "cancelled";

export interface StopRules {
  maxTrials?: number;
  timeoutMs?: number;
  /** Stop after this many finished trials in a row without a new best. */
  patience?: number;
}

/** Trials that count toward the budget: every finished one (complete, pruned, failed). */
export function finishedCount(trials: readonly Trial[]): number {
  let n = 0;
  for (const t of trials) if (t.state !== "running") n++;
  return n;
}

/** Finished trials (in trial-number order) since the last improvement of the best value. */
export function trialsWithoutImprovement(trials: readonly Trial[], dir: Direction): number {
  const done = trials.filter((t) => t.state !== "running").sort((a, b) => a.number - b.number);
  let best = NaN;
  let since = 0;
  for (const t of done) {
    if (isScored(t) && (best !== best || better(t.values![0], best, dir))) {
      best = t.values![0];
      since = 0;
    } else since++;
  }
  return best !== best ? done.length : since;
}

/** The first rule that fires, checked in the order trials, timeout, patience; null = go on. */
export function stopReason(
  rules: StopRules,
  trials: readonly Trial[],
  dir: Direction,
  elapsedMs: number,
): StopReason | null {
  if (rules.maxTrials !== undefined && finishedCount(trials) >= rules.maxTrials) return "n_trials";
  if (rules.timeoutMs !== undefined && elapsedMs >= rules.timeoutMs) return "timeout";
  if (rules.patience !== undefined && trialsWithoutImprovement(trials, dir) >= rules.patience) return "patience";
  return null;
}
