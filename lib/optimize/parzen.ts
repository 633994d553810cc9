/**
 * Parzen estimators as Optuna's TPE builds them (optuna/samplers/_tpe/parzen_estimator.py):
 * a weighted mixture of product kernels, one kernel per observation plus a prior kernel.
 * Numeric params get truncated-normal kernels on [low, high] (widened by step/2 for stepped
 * params, in log space for log params) with the neighbour-gap bandwidth clipped to
 * [(high−low)/min(100, 1+n_kernels), high−low]; stepped params are probability mass over ±step/2;
 * categorical params get a kernel that puts weight 1 on the observed choice plus prior/n_kernels
 * on every choice.
 */
import { erfc, normPpf } from "../metrics/normal";
import type { Rng } from "../data/rng";
import type { Distribution } from "./space";

const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log(Φ(b) − Φ(a)) for a ≤ b, computed on the side of the tail that keeps precision. */
export function logGaussMass(a: number, b: number): number {
  if (a >= 0) return Math.log(0.5 * (erfc(a * SQRT1_2) - erfc(b * SQRT1_2)));
  if (b <= 0) return Math.log(0.5 * (erfc(-b * SQRT1_2) - erfc(-a * SQRT1_2)));
  return Math.log(1 - 0.5 * erfc(-a * SQRT1_2) - 0.5 * erfc(b * SQRT1_2));
}

/** A draw from the standard normal truncated to [a, b] by inverting the CDF (tail-symmetric). */
export function truncNormStd(a: number, b: number, u: number): number {
  if (a > 0) return -truncNormStd(-b, -a, 1 - u);
  // here a <= 0: Φ(a) is a lower-tail value kept precisely by erfc
  const pa = 0.5 * erfc(-a * SQRT1_2);
  const pb = 0.5 * erfc(-b * SQRT1_2);
  const p = pa + u * (pb - pa);
  const x = normPpf(Math.min(Math.max(p, 1e-300), 1 - 1e-16));
  return Math.min(b, Math.max(a, x));
}

interface NumericDim {
  kind: "num";
  mu: Float64Array;
  sigma: Float64Array;
  /** bounds in the transformed (log if log) space, widened by step/2 for stepped params */
  lowT: number;
  highT: number;
  log: boolean;
  step: number; // 0 = continuous
  low: number;
  high: number;
  /** per kernel: log of the mass on [lowT, highT] and log sigma */
  logNorm: Float64Array;
  logSigma: Float64Array;
}
interface CategoricalDim {
  kind: "cat";
  /** nKernels × nChoices, rows sum to 1 */
  w: Float64Array;
  nChoices: number;
}
type Dim = NumericDim | CategoricalDim;

/** Default weights of the observations in trial-number order: 1 for the newest 25, a linear ramp from 1/n for older ones. */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n >= 25) {
    const m = n - 25;
    for (let i = 0; i < m; i++) w[i] = m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1);
  }
  return w;
}

export interface ParzenOptions {
  priorWeight: number;
  /** Clip bandwidths from below at (high−low)/min(100, 1+n_kernels) (Optuna's "magic clip"). */
  magicClip: boolean;
  /** Use the gap to the range's ends for the outermost observations too. */
  considerEndpoints: boolean;
}
export const DEFAULT_PARZEN: ParzenOptions = { priorWeight: 1, magicClip: true, considerEndpoints: false };

/** A mixture of product kernels over the given params; observations in internal representation. */
export class ParzenEstimator {
  readonly logWeights: Float64Array;
  readonly weights: Float64Array;
  private readonly dims: Dim[];

  constructor(
    readonly dists: Distribution[],
    observations: Float64Array[], // observations[d][i]
    obsWeights: Float64Array,
    opts: ParzenOptions = DEFAULT_PARZEN,
  ) {
    const n = obsWeights.length;
    const w = new Float64Array(n === 0 ? 1 : n + 1);
    if (n === 0) w[0] = 1;
    else {
      w.set(obsWeights);
      w[n] = opts.priorWeight;
    }
    let sum = 0;
    for (const x of w) sum += x;
    for (let i = 0; i < w.length; i++) w[i] /= sum;
    const dims = dists.map((d, j) =>
      d.type === "categorical"
        ? catDim(d.choices.length, observations[j], n, opts)
        : numDim(d, observations[j], n, opts),
    );
    // Identical kernels (same mu and sigma in every numeric dim, same row in every categorical
    // one — repeated values of int, stepped and categorical params) are merged by adding their
    // weights: the mixture is the same, its evaluation cheaper.
    const K = w.length;
    const rep: number[] = [];
    const merged: number[] = [];
    if (dims.length === 1 && dims[0].kind === "num") {
      // one numeric dim: group by (mu, sigma) without building strings
      const d = dims[0];
      const byMu = new Map<number, Map<number, number>>();
      for (let k = 0; k < K; k++) {
        let inner = byMu.get(d.mu[k]);
        if (!inner) byMu.set(d.mu[k], (inner = new Map()));
        const g = inner.get(d.sigma[k]);
        if (g === undefined) {
          inner.set(d.sigma[k], rep.length);
          rep.push(k);
          merged.push(w[k]);
        } else merged[g] += w[k];
      }
    } else {
      const groups = new Map<string, number>();
      for (let k = 0; k < K; k++) {
        let sig = "";
        for (const d of dims) sig += d.kind === "num" ? `${d.mu[k]},${d.sigma[k]};` : `${catRowKey(d, k)};`;
        const g = groups.get(sig);
        if (g === undefined) {
          groups.set(sig, rep.length);
          rep.push(k);
          merged.push(w[k]);
        } else merged[g] += w[k];
      }
    }
    if (rep.length < K) {
      this.weights = Float64Array.from(merged);
      this.dims = dims.map((d) => pickKernels(d, rep));
    } else {
      this.weights = w;
      this.dims = dims;
    }
    this.logWeights = this.weights.map(Math.log);
  }

  get nKernels(): number {
    return this.weights.length;
  }

  /** `size` joint samples (internal representation), as samples[d][s]. */
  sample(rng: Rng, size: number): Float64Array[] {
    const out = this.dims.map(() => new Float64Array(size));
    const cum = new Float64Array(this.weights.length);
    let acc = 0;
    for (let k = 0; k < cum.length; k++) cum[k] = acc += this.weights[k];
    for (let s = 0; s < size; s++) {
      const u = rng.uniform() * acc;
      let k = 0;
      while (k < cum.length - 1 && cum[k] <= u) k++;
      for (let j = 0; j < this.dims.length; j++) {
        const d = this.dims[j];
        if (d.kind === "cat") {
          const q = rng.uniform();
          let c = 0;
          let cs = d.w[k * d.nChoices];
          while (c < d.nChoices - 1 && cs < q) cs += d.w[k * d.nChoices + ++c];
          out[j][s] = c;
        } else {
          const mu = d.mu[k];
          const sg = d.sigma[k];
          let x = mu + sg * truncNormStd((d.lowT - mu) / sg, (d.highT - mu) / sg, rng.uniform());
          if (d.log) x = Math.exp(x);
          if (d.step !== 0) x = Math.min(d.high, Math.max(d.low, d.low + Math.round((x - d.low) / d.step) * d.step));
          out[j][s] = x;
        }
      }
    }
    return out;
  }

  /** log density (mass for stepped/categorical params) of each sample. */
  logPdf(samples: Float64Array[], size: number): Float64Array {
    const K = this.weights.length;
    const out = new Float64Array(size);
    const comp = new Float64Array(K);
    const memo = this.dims.length === 1 ? new Map<number, number>() : null;
    for (let s = 0; s < size; s++) {
      if (memo) {
        const hit = memo.get(samples[0][s]);
        if (hit !== undefined) {
          out[s] = hit;
          continue;
        }
      }
      comp.set(this.logWeights);
      for (let j = 0; j < this.dims.length; j++) {
        const d = this.dims[j];
        const x = samples[j][s];
        if (d.kind === "cat") {
          const c = Math.round(x);
          for (let k = 0; k < K; k++) comp[k] += Math.log(d.w[k * d.nChoices + c]);
        } else if (d.step === 0) {
          const xt = d.log ? Math.log(x) : x;
          for (let k = 0; k < K; k++) {
            const z = (xt - d.mu[k]) / d.sigma[k];
            comp[k] += -0.5 * z * z - LOG_SQRT_2PI - d.logSigma[k] - d.logNorm[k];
          }
        } else {
          const lo = d.log ? Math.log(x - d.step / 2) : x - d.step / 2;
          const hi = d.log ? Math.log(x + d.step / 2) : x + d.step / 2;
          for (let k = 0; k < K; k++)
            comp[k] += logGaussMass((lo - d.mu[k]) / d.sigma[k], (hi - d.mu[k]) / d.sigma[k]) - d.logNorm[k];
        }
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (comp[k] > max) max = comp[k];
      if (max === -Infinity) {
        out[s] = -Infinity;
        memo?.set(samples[0][s], out[s]);
        continue;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(comp[k] - max);
      out[s] = Math.log(sum) + max;
      memo?.set(samples[0][s], out[s]);
    }
    return out;
  }
}

function catRowKey(d: CategoricalDim, k: number): string {
  let s = "";
  for (let c = 0; c < d.nChoices; c++) s += `${d.w[k * d.nChoices + c]},`;
  return s;
}

function pickKernels(d: Dim, idx: number[]): Dim {
  if (d.kind === "cat") {
    const w = new Float64Array(idx.length * d.nChoices);
    idx.forEach((k, i) => w.set(d.w.subarray(k * d.nChoices, (k + 1) * d.nChoices), i * d.nChoices));
    return { ...d, w };
  }
  const pick = (a: Float64Array) => Float64Array.from(idx, (k) => a[k]);
  return { ...d, mu: pick(d.mu), sigma: pick(d.sigma), logNorm: pick(d.logNorm), logSigma: pick(d.logSigma) };
}

function catDim(nChoices: number, obs: Float64Array, n: number, opts: ParzenOptions): CategoricalDim {
  if (n === 0) return { kind: "cat", nChoices, w: new Float64Array(nChoices).fill(1 / nChoices) };
  const K = n + 1;
  const w = new Float64Array(K * nChoices).fill(opts.priorWeight / K);
  for (let i = 0; i < n; i++) w[i * nChoices + Math.round(obs[i])] += 1;
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let c = 0; c < nChoices; c++) s += w[k * nChoices + c];
    if (s > 0) for (let c = 0; c < nChoices; c++) w[k * nChoices + c] /= s;
  }
  return { kind: "cat", nChoices, w };
}

function numDim(
  d: Exclude<Distribution, { type: "categorical" }>,
  obsRaw: Float64Array,
  n: number,
  opts: ParzenOptions,
): NumericDim {
  const step = d.step ?? 0;
  let low = d.low - step / 2;
  let high = d.high + step / 2;
  const log = d.log === true;
  const mus = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) mus[i] = log ? Math.log(obsRaw[i]) : obsRaw[i];
  if (log) {
    low = Math.log(low);
    high = Math.log(high);
  }
  const sigmas = new Float64Array(n + 1);
  if (n > 0) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => mus[a] - mus[b] || a - b);
    const ext = new Float64Array(n + 2);
    ext[0] = low;
    for (let i = 0; i < n; i++) ext[i + 1] = mus[order[i]];
    ext[n + 1] = high;
    const sorted = new Float64Array(n);
    for (let i = 0; i < n; i++) sorted[i] = Math.max(ext[i + 1] - ext[i], ext[i + 2] - ext[i + 1]);
    if (!opts.considerEndpoints && ext.length >= 4) {
      sorted[0] = ext[2] - ext[1];
      sorted[n - 1] = ext[n] - ext[n - 1];
    }
    const maxS = high - low;
    const minS = opts.magicClip ? (high - low) / Math.min(100, 1 + (n + 1)) : 1e-12;
    for (let i = 0; i < n; i++) sigmas[order[i]] = Math.min(maxS, Math.max(minS, sorted[i]));
  }
  mus[n] = 0.5 * (low + high);
  sigmas[n] = high - low;
  const logNorm = new Float64Array(n + 1);
  const logSigma = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) {
    logNorm[k] = logGaussMass((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]);
    logSigma[k] = Math.log(sigmas[k]);
  }
  return {
    kind: "num",
    mu: mus,
    sigma: sigmas,
    lowT: low,
    highT: high,
    log,
    step,
    low: d.low,
    high: d.high,
    logNorm,
    logSigma,
  };
}
