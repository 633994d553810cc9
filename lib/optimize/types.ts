/** Trials and studies as plain data, so a study's state can live in a database (ask-and-tell). */
import type { Params } from "./space";

export type Direction = "maximize" | "minimize";

/**
 * `running`: asked, not told yet; `complete`: has values; `pruned`: stopped early on an
 * intermediate value; `failed`: the evaluation threw (not used by the samplers).
 */
export type TrialState = "running" | "complete" | "pruned" | "failed";

export interface Trial {
  number: number;
  params: Params;
  state: TrialState;
  /** Objective values, one per direction (complete trials). */
  values?: number[];
  /** Intermediate values of the first objective by step (pruning), ascending steps. */
  intermediate?: Array<[number, number]>;
  /**
   * Metric-constraint violation: 0 or absent = feasible; > 0 = infeasible by that much (e.g. the
   * number of missing trades). Infeasible trials never count as best.
   */
  violation?: number;
}

/** Is `a` better than `b` in this direction? */
export function better(a: number, b: number, dir: Direction): boolean {
  return dir === "maximize" ? a > b : a < b;
}

/** Feasible complete trial with finite values? */
export function isScored(t: Trial): boolean {
  return (
    t.state === "complete" &&
    !(t.violation !== undefined && t.violation > 0) &&
    (t.values ?? []).every((v) => Number.isFinite(v)) &&
    (t.values?.length ?? 0) > 0
  );
}

/**
 * Best trial of a single-objective study: the best first value among feasible complete trials;
 * ties go to the lowest trial number (the first found). Undefined when none.
 */
export function bestTrial(trials: readonly Trial[], dir: Direction): Trial | undefined {
  let best: Trial | undefined;
  for (const t of trials) {
    if (!isScored(t)) continue;
    if (
      !best ||
      better(t.values![0], best.values![0], dir) ||
      (t.values![0] === best.values![0] && t.number < best.number)
    )
      best = t;
  }
  return best;
}

/** Best-so-far value after each trial in trial-number order (NaN until the first scored trial); monotone in the direction. */
export function bestSoFar(trials: readonly Trial[], dir: Direction): number[] {
  const sorted = [...trials].sort((a, b) => a.number - b.number);
  const out: number[] = [];
  let best = NaN;
  for (const t of sorted) {
    if (isScored(t)) {
      const v = t.values![0];
      if (best !== best || better(v, best, dir)) best = v;
    }
    out.push(best);
  }
  return out;
}
