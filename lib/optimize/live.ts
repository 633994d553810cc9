/**
 * A running study as its live events show it: the finished trials received so far (each event
 * carries the trials finished since the previous one; a trial may arrive twice when a stream
 * reconnects), summarized for the run page — trial count by state, best so far, the history
 * chart's points and an ETA. Pure; the clock comes in as `elapsedMs`.
 */
import type { Direction } from "./types";

/** A finished trial as the run's live events carry it (server/jobs/optimize-study.ts TrialEvent). */
export interface LiveTrial {
  number: number;
  state: "complete" | "pruned" | "failed" | "infeasible";
  /** First objective; null when not finite or not evaluated. */
  value: number | null;
}

export interface LiveStudy {
  n: number;
  nComplete: number;
  nPruned: number;
  nFailed: number;
  nInfeasible: number;
  /** The best feasible complete trial so far (ties: the lowest number). */
  best: { number: number; value: number } | null;
  /** In trial-number order: each trial's value and the best so far up to it; at most `maxPoints`, every change of the best kept. */
  history: Array<{ number: number; value: number | null; best: number | null }>;
  /** Seconds left: from the mean time per finished trial and the trial budget, else from the timeout; null when neither bounds the study. */
  etaSeconds: number | null;
}

/** Adds `events` to `known` (keyed by trial number; a repeated trial replaces itself). Returns whether anything was new. */
export function mergeLiveTrials(known: Map<number, LiveTrial>, events: readonly LiveTrial[]): boolean {
  let changed = false;
  for (const e of events) {
    const had = known.get(e.number);
    if (!had || had.state !== e.state || had.value !== e.value) {
      known.set(e.number, { number: e.number, state: e.state, value: e.value });
      changed = true;
    }
  }
  return changed;
}

/**
 * The summary of the trials received so far. `budget` is the trial budget (or grid size) when one
 * bounds the study, `timeoutMs` its timeout, `elapsedMs` the time since the study started.
 */
export function summarizeLiveStudy(
  trials: Iterable<LiveTrial>,
  opts: {
    direction: Direction;
    budget: number | null;
    timeoutMs?: number | null;
    elapsedMs: number;
    maxPoints?: number;
  },
): LiveStudy {
  const rows = [...trials].toSorted((a, b) => a.number - b.number);
  const better = (a: number, b: number) => (opts.direction === "maximize" ? a > b : a < b);
  const counts = { complete: 0, pruned: 0, failed: 0, infeasible: 0 };
  let best: LiveStudy["best"] = null;
  const full: LiveStudy["history"] = [];
  const changes = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i];
    counts[t.state]++;
    const v = t.state === "complete" && t.value !== null && Number.isFinite(t.value) ? t.value : null;
    if (v !== null && (best === null || better(v, best.value))) {
      best = { number: t.number, value: v };
      changes.add(i);
    }
    full.push({ number: t.number, value: t.value, best: best?.value ?? null });
  }
  const n = rows.length;
  const max = Math.max(2, opts.maxPoints ?? 2000);
  let history = full;
  if (n > max) {
    const step = Math.ceil(n / max);
    history = full.filter((_, i) => i % step === 0 || i === n - 1 || changes.has(i));
  }
  let etaSeconds: number | null = null;
  if (opts.budget !== null && n > 0) etaSeconds = Math.max(0, ((opts.elapsedMs / n) * (opts.budget - n)) / 1000);
  else if (opts.timeoutMs) etaSeconds = Math.max(0, (opts.timeoutMs - opts.elapsedMs) / 1000);
  return {
    n,
    nComplete: counts.complete,
    nPruned: counts.pruned,
    nFailed: counts.failed,
    nInfeasible: counts.infeasible,
    best,
    history,
    etaSeconds,
  };
}
