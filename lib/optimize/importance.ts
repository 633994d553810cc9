/**
 * Parameter importance by PED-ANOVA (Watanabe, Bansal & Hutter, IJCAI 2023), as Optuna's
 * PedAnovaImportanceEvaluator computes it with its defaults (target quantile 0.1, region = all
 * trials, local evaluation): for each param, discretize its domain into ≤ 50 grid cells, fit a
 * Scott's-rule Parzen estimator on the cells of the top-10 % trials and of all trials, and take
 * the Pearson divergence Σ p_all·(p_top/p_all − 1)² scaled by γ'². Shares are normalized to sum
 * to 1 (equal shares when every divergence is 0).
 */
import { logGaussMass } from "./parzen";
import type { Distribution, SearchSpace } from "./space";
import { type Direction, type Trial, isScored } from "./types";

const N_STEPS = 50;
const PRIOR_WEIGHT = 1;

function cellCount(d: Distribution): number {
  if (d.type === "categorical") return d.choices.length;
  if (d.high === d.low) return 1;
  if (d.type === "int" && d.log) return Math.min(Math.ceil(Math.log(d.high - d.low + 1) / Math.log(2)) + 1, N_STEPS);
  if (d.step !== undefined && !d.log) return Math.min(Math.round((d.high - d.low) / d.step) + 1, N_STEPS);
  return N_STEPS;
}

function counts(name: string, d: Distribution, trials: Trial[], n: number): Float64Array {
  const c = new Float64Array(n);
  if (d.type === "categorical") {
    for (const t of trials) c[d.choices.indexOf(t.params[name])]++;
    return c;
  }
  const lo = d.log ? Math.log(d.low) : d.low;
  const hi = d.log ? Math.log(d.high) : d.high;
  const step = (hi - lo) / (n - 1);
  for (const t of trials) {
    const v = d.log ? Math.log(t.params[name] as number) : (t.params[name] as number);
    // midpoint ties go to the lower cell
    const i = Math.min(n - 1, Math.max(0, Math.ceil((v - lo) / step - 0.5)));
    c[i]++;
  }
  return c;
}

/** pdf over the cells 0..n−1 of a Scott's-rule Parzen estimator fitted to cell counts (numeric) or a categorical one. */
function gridPdf(c: Float64Array, categorical: boolean): Float64Array {
  const n = c.length;
  const obs: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++)
    if (c[i] > 0) {
      obs.push(i);
      w.push(c[i]);
    }
  const pdf = new Float64Array(n);
  const wsum = w.reduce((s, x) => s + x, 0);
  const mix = obs.length === 0 ? [1] : [...w, PRIOR_WEIGHT];
  const msum = mix.reduce((s, x) => s + x, 0);
  if (categorical) {
    if (obs.length === 0) return pdf.fill(1 / n);
    const K = obs.length + 1;
    for (let k = 0; k < K; k++) {
      const row = new Float64Array(n).fill(PRIOR_WEIGHT / K);
      if (k < obs.length) row[obs[k]] += 1;
      const rs = row.reduce((s, x) => s + x, 0);
      for (let i = 0; i < n; i++) pdf[i] += (mix[k] / msum) * (row[i] / rs);
    }
    return pdf;
  }
  const low = 0;
  const high = n - 1;
  const mus: number[] = [];
  const sigmas: number[] = [];
  if (obs.length > 0) {
    const mean = obs.reduce((s, x, i) => s + x * w[i], 0) / wsum;
    let sd = Math.sqrt(obs.reduce((s, x, i) => s + (x - mean) ** 2 * w[i], 0) / Math.max(1, wsum - 1));
    const cum: number[] = [];
    let acc = 0;
    for (const x of w) cum.push((acc += x));
    const q1v = Math.floor(wsum / 4);
    const q3v = Math.floor((wsum * 3) / 4);
    let q1 = cum.findIndex((x) => x >= q1v);
    if (q1 < 0) q1 = cum.length;
    let q3 = cum.findIndex((x) => x > q3v);
    if (q3 < 0) q3 = cum.length;
    const iqr = obs[Math.min(obs.length - 1, q3)] - obs[Math.min(obs.length - 1, q1)];
    sd = 1.059 * Math.min(iqr / 1.34, sd) * Math.pow(wsum, -0.2);
    const s = Math.max(sd, 0.5 / 1.64);
    for (const o of obs) {
      mus.push(o);
      sigmas.push(s);
    }
  }
  mus.push((low + high) / 2);
  sigmas.push(high - low + 1);
  for (let k = 0; k < mus.length; k++) {
    const norm = logGaussMass((low - 0.5 - mus[k]) / sigmas[k], (high + 0.5 - mus[k]) / sigmas[k]);
    for (let i = 0; i < n; i++) {
      const m = logGaussMass((i - 0.5 - mus[k]) / sigmas[k], (i + 0.5 - mus[k]) / sigmas[k]);
      pdf[i] += (mix[k] / msum) * Math.exp(m - norm);
    }
  }
  return pdf;
}

/** Top-`q` trials by the first value (ties at the cut-off kept), as Optuna's quantile filter. */
function topQuantile(trials: Trial[], q: number, dir: Direction): Trial[] {
  const loss = trials.map((t) => (dir === "minimize" ? 1 : -1) * t.values![0]);
  const sorted = [...loss].sort((a, b) => a - b);
  const cut = sorted[Math.ceil(q * loss.length) - 1];
  return trials.filter((_, i) => loss[i] <= cut);
}

/** Importance share of each searched param (sums to 1), from the feasible complete trials. */
export function pedAnovaImportance(
  space: SearchSpace,
  trials: readonly Trial[],
  dir: Direction,
  targetQuantile = 0.1,
): Record<string, number> {
  const done = trials.filter(isScored);
  const out: Record<string, number> = {};
  if (done.length <= 1) {
    for (const n of space.names) out[n] = 1 / space.names.length;
    return out;
  }
  const top = topQuantile(done, targetQuantile, dir);
  const gamma = top.length / done.length;
  let total = 0;
  for (const name of space.names) {
    const d = space.dists[name];
    const n = cellCount(d);
    if (n <= 1) {
      out[name] = 0;
      continue;
    }
    const cat = d.type === "categorical";
    const pTop = gridPdf(counts(name, d, top, n), cat);
    const pAll = gridPdf(counts(name, d, done, n), cat);
    let div = 0;
    for (let i = 0; i < n; i++) {
      const a = pTop[i] + 1e-12;
      const b = pAll[i] + 1e-12;
      div += b * (a / b - 1) ** 2;
    }
    out[name] = div * gamma * gamma;
    total += out[name];
  }
  for (const name of space.names) out[name] = total > 0 ? out[name] / total : 1 / space.names.length;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}
