/**
 * Down-sampling a study's result for charts (a study can hold 10,000+ trials; a browser chart
 * stays responsive with a few thousand points). The sampled result keeps at most `max` trials:
 *
 * - every trial where the best-so-far line changes (and the first and last trial), with the
 *   line's exact value at each — the best-so-far step line drawn through them is exact;
 * - the best trial, the Pareto front (several objectives) and the best trials by value, so the
 *   region users look at keeps full detail;
 * - the rest as an even stride over the remaining trials (deterministic).
 *
 * The change points of the best-so-far line are always kept (in the rare study whose line changes
 * more than `max` times the line stays exact and the other samples are dropped).
 * `best_so_far` is re-aligned to the kept trials. Everything else in the result is unchanged;
 * `trials_sampled` says how many trials the study has and how many were kept.
 */
import type { OptimizeResult } from "../modes/optimize";

export interface SampledOptimizeResult extends OptimizeResult {
  trials_sampled?: { total: number; kept: number };
}

/** Default most trials a chart receives. */
export const CHART_MAX_POINTS = 2_000;

export function sampleForCharts(r: OptimizeResult, max = CHART_MAX_POINTS): SampledOptimizeResult {
  const n = r.trials.length;
  if (n <= max) return r;
  const keep = new Uint8Array(n);
  let kept = 0;
  const take = (i: number): void => {
    if (i >= 0 && i < n && !keep[i]) {
      keep[i] = 1;
      kept++;
    }
  };
  take(0);
  take(n - 1);
  // Exact best-so-far line: every change point.
  for (let i = 1; i < n; i++) if (!Object.is(r.best_so_far[i], r.best_so_far[i - 1])) take(i);
  const byNumber = new Map(r.trials.map((t, i) => [t.number, i]));
  if (r.best) take(byNumber.get(r.best.number) ?? -1);
  for (const num of r.pareto_front ?? []) take(byNumber.get(num) ?? -1);
  // The best tenth of the budget by the first objective.
  const dir = r.objectives[0]?.direction ?? "maximize";
  const valueOf = (i: number): number | null => {
    const t = r.trials[i];
    const v = t.value !== undefined ? t.value : (t.values?.[0] ?? null);
    return typeof v === "number" ? v : null;
  };
  const ranked = [...Array(n).keys()]
    .filter((i) => valueOf(i) !== null)
    .sort((a, b) => (dir === "maximize" ? valueOf(b)! - valueOf(a)! : valueOf(a)! - valueOf(b)!) || a - b);
  const top = Math.min(ranked.length, Math.floor(max / 10));
  for (let k = 0; k < top && kept < max; k++) take(ranked[k]);
  // Even stride over the rest.
  const budget = max - kept;
  if (budget > 0) {
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (!keep[i]) rest.push(i);
    const step = rest.length / budget;
    for (let k = 0; k < budget && k * step < rest.length; k++) take(rest[Math.floor(k * step)]);
  }
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) idx.push(i);
  return {
    ...r,
    trials: idx.map((i) => r.trials[i]),
    best_so_far: idx.map((i) => r.best_so_far[i] ?? null),
    trials_sampled: { total: n, kept: idx.length },
  };
}
