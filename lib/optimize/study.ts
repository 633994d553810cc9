/**
 * An in-process study loop (ask → evaluate → tell) over the pure samplers, pruners and stop
 * rules. The server's distributed loop keeps the same trial records in Postgres; this one serves
 * the CLI's local runs and the tests. The clock is injected.
 */
import { type Pruner, createPruner, type PrunerKind } from "./pruners";
import { type Method, type Nsga2Options, type Sampler, type TpeOptions, GridSampler, createSampler } from "./samplers";
import type { Params, SearchSpace } from "./space";
import { type StopReason, type StopRules, stopReason } from "./stop";
import type { Direction, Trial } from "./types";

export interface StudyConfig {
  space: SearchSpace;
  method: Method;
  directions: Direction[];
  seed: number;
  stop: StopRules;
  pruner?: PrunerKind;
  gridLimit?: number;
  tpe?: Partial<TpeOptions>;
  nsga2?: Partial<Nsga2Options>;
  /**
   * Trials that may run at once (default 1): trial n is sampled against
   * {@link windowedHistory}(trials, n, window). A sequential study with window W repeats the
   * trial sequence of a study spread over workers with the same window.
   */
  window?: number;
}

/** What an evaluation reports back. */
export type Evaluation = { values: number[]; violation?: number } | { pruned: true } | { failed: string };

/** Given to the objective: `report` records an intermediate value and answers whether to stop the trial now. */
export interface TrialHandle {
  number: number;
  report(step: number, value: number): boolean;
}

export type Objective = (params: Params, trial: TrialHandle) => Promise<Evaluation> | Evaluation;

export interface StudyResult {
  trials: Trial[];
  stopReason: StopReason;
}

/** The sampler and pruner for a config (grid with its limit applied). */
export function studyParts(cfg: StudyConfig): { sampler: Sampler; pruner: Pruner } {
  if (cfg.method === "tpe" && cfg.directions.length > 1)
    throw new RangeError("tpe optimizes one objective; use nsga2 for two or more");
  if (cfg.method === "nsga2" && cfg.directions.length < 2) throw new RangeError("nsga2 needs two or more objectives");
  return {
    sampler: createSampler(cfg.method, { gridLimit: cfg.gridLimit, tpe: cfg.tpe, nsga2: cfg.nsga2 }),
    pruner: createPruner(cfg.pruner ?? "none"),
  };
}

/** Asks the next trial: its parameters, or undefined when the grid is exhausted. */
export function ask(cfg: StudyConfig, sampler: Sampler, trials: readonly Trial[], number: number): Params | undefined {
  return sampler.sample({ space: cfg.space, trials, directions: cfg.directions, number, seed: cfg.seed });
}

/**
 * The history trial `number` is asked against when up to `window` trials may run at once, chosen
 * so that its params are a pure function of (seed, number, window and the trials' evaluations),
 * whatever the timing of the workers: every trial numbered up to `number − window` must have
 * finished (`waitFor` is the oldest one still running, else null) and is seen as it is; the
 * `window − 1` trials just before `number` are seen as running — params only, the constant liar —
 * even when they have already finished. `window` = 1 is the sequential study (every earlier trial
 * finished and seen). `settled` (the finished trials up to `number − window`) is what the pruner
 * compares against.
 */
export function windowedHistory(
  trials: readonly Trial[],
  number: number,
  window: number,
): { trials: Trial[]; settled: Trial[]; waitFor: number | null } {
  const cut = number - Math.max(1, Math.floor(window));
  const seen: Trial[] = [];
  const settled: Trial[] = [];
  let waitFor: number | null = null;
  for (const t of trials) {
    if (t.number >= number) continue;
    if (t.number <= cut) {
      if (t.state === "running") waitFor = waitFor === null ? t.number : Math.min(waitFor, t.number);
      else settled.push(t);
      seen.push(t);
    } else seen.push({ number: t.number, params: t.params, state: "running" });
  }
  return { trials: seen, settled, waitFor };
}

/** Runs a study to its first stop rule; `isCancelled` is polled between trials. */
export async function runStudy(
  cfg: StudyConfig,
  objective: Objective,
  clock: { now: () => number },
  onTrial?: (t: Trial, all: readonly Trial[]) => void,
  isCancelled?: () => boolean,
  /** Awaited after every trial (the host lets its I/O run: progress writes, cancel checks). */
  between?: () => Promise<void>,
): Promise<StudyResult> {
  const window = cfg.window ?? 1;
  const { sampler, pruner } = studyParts(
    cfg.method === "tpe" && window > 1 ? { ...cfg, tpe: { ...cfg.tpe, constantLiar: true } } : cfg,
  );
  const trials: Trial[] = [];
  const historyMatters = cfg.method === "tpe" || cfg.method === "nsga2" || (cfg.pruner ?? "none") !== "none";
  const started = clock.now();
  const dir = cfg.directions[0];
  for (let number = 0; ; number++) {
    if (isCancelled?.()) return { trials, stopReason: "cancelled" };
    const reason = stopReason(cfg.stop, trials, dir, clock.now() - started);
    if (reason) return { trials, stopReason: reason };
    // Grid points and random draws ignore the history (and there is no pruner to compare with):
    // no need to build it for every trial (it is O(trials) each time).
    const history = historyMatters ? windowedHistory(trials, number, window) : { trials, settled: trials };
    const params = ask(cfg, sampler, history.trials, number);
    if (!params) return { trials, stopReason: "grid_exhausted" };
    const trial: Trial = { number, params, state: "running", intermediate: [] };
    trials.push(trial);
    let prunedAt = false;
    const handle: TrialHandle = {
      number,
      report(step, value) {
        trial.intermediate!.push([step, value]);
        prunedAt = pruner.shouldPrune(trial, step, value, history.settled, dir);
        return prunedAt;
      },
    };
    let ev: Evaluation;
    try {
      ev = await objective(params, handle);
    } catch (e) {
      ev = { failed: e instanceof Error ? e.message : String(e) };
    }
    if ("pruned" in ev) trial.state = "pruned";
    else if ("failed" in ev) trial.state = "failed";
    else {
      trial.state = "complete";
      trial.values = ev.values;
      if (ev.violation !== undefined && ev.violation > 0) trial.violation = ev.violation;
    }
    if (trial.intermediate!.length === 0) delete trial.intermediate;
    onTrial?.(trial, trials);
    if (between) await between();
  }
}

/** Grid size of a grid study after constraints (for "N combinations" before it starts). */
export function gridCount(cfg: StudyConfig): number {
  return new GridSampler(cfg.gridLimit).grid(cfg.space).length;
}
