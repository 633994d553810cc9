/**
 * Samplers: grid, random, TPE (Optuna's algorithm) and NSGA-II. Each is stateless between calls:
 * the next parameter set is a function of the search space, the trials so far, the trial number
 * and the seed (every trial draws from its own stream, hashSeed(seed, method:number)), so a study
 * whose state lives in a database can be sampled by any worker and a seeded study repeats exactly.
 */
import { Rng, hashSeed } from "../data/rng";
import { ParzenEstimator, defaultWeights, DEFAULT_PARZEN, type ParzenOptions } from "./parzen";
import {
  type Distribution,
  type Params,
  type SearchSpace,
  enumerateGrid,
  feasible,
  fromInternal,
  toInternal,
} from "./space";
import { type Direction, type Trial, isScored } from "./types";

export interface SampleContext {
  space: SearchSpace;
  trials: readonly Trial[];
  directions: Direction[];
  /** Number of the trial being sampled (unique within the study). */
  number: number;
  seed: number;
}

export interface Sampler {
  readonly method: "grid" | "random" | "tpe" | "nsga2";
  /** Parameters for trial `ctx.number`, or undefined when the sampler has nothing left (grid exhausted). */
  sample(ctx: SampleContext): Params | undefined;
}

const MAX_REJECTIONS = 1000;

function trialRng(seed: number, method: string, number: number): Rng {
  return new Rng(hashSeed(seed, `${method}:${number}`));
}

/** One uniform draw from a distribution (log-uniform for log params; uniform over grid points for stepped ones). */
export function sampleUniform(d: Distribution, rng: Rng): number | string | boolean {
  if (d.type === "categorical") return d.choices[rng.int(d.choices.length)];
  if (d.log) {
    const lo = Math.log(d.type === "int" ? d.low - 0.5 : d.low);
    const hi = Math.log(d.type === "int" ? d.high + 0.5 : d.high);
    const x = Math.exp(lo + rng.uniform() * (hi - lo));
    return d.type === "int" ? Math.min(d.high, Math.max(d.low, Math.round(x))) : Math.min(d.high, Math.max(d.low, x));
  }
  if (d.step !== undefined) {
    const n = Math.floor((d.high - d.low) / d.step + 1e-9) + 1;
    const v = d.low + rng.int(n) * d.step;
    return d.type === "int" ? Math.round(v) : Number(v.toPrecision(12));
  }
  return d.low + rng.uniform() * (d.high - d.low);
}

/** A uniformly random parameter set that satisfies the constraints (rejection sampling). */
export function sampleRandomFeasible(space: SearchSpace, rng: Rng): Params {
  for (let i = 0; i < MAX_REJECTIONS; i++) {
    const p: Params = {};
    for (const n of space.names) p[n] = sampleUniform(space.dists[n], rng);
    if (feasible(space, p)) return p;
  }
  throw new Error(`no parameter set satisfying the constraints was found in ${MAX_REJECTIONS} random draws`);
}

export class RandomSampler implements Sampler {
  readonly method = "random" as const;
  sample(ctx: SampleContext): Params {
    return sampleRandomFeasible(ctx.space, trialRng(ctx.seed, "random", ctx.number));
  }
}

/** Grid points in order (trial n evaluates point n), constraints already applied. */
export class GridSampler implements Sampler {
  readonly method = "grid" as const;
  private points: Params[] | undefined;
  private key: SearchSpace | undefined;
  constructor(private readonly limit = Infinity) {}
  grid(space: SearchSpace): Params[] {
    if (!this.points || this.key !== space) {
      this.points = enumerateGrid(space, this.limit);
      this.key = space;
    }
    return this.points;
  }
  sample(ctx: SampleContext): Params | undefined {
    return this.grid(ctx.space)[ctx.number];
  }
}

export interface TpeOptions {
  nStartupTrials: number;
  nEiCandidates: number;
  /** Number of "good" trials out of n finished ones. */
  gamma: (n: number) => number;
  /** Joint kernels over all params (true) or one estimator per param (false, Optuna's default). */
  multivariate: boolean;
  /** Treat running trials as bad ones so parallel workers spread out. */
  constantLiar: boolean;
  parzen: ParzenOptions;
}

/** γ(n) = min(⌈0.1·n⌉, 25). */
export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

export const DEFAULT_TPE: TpeOptions = {
  nStartupTrials: 10,
  nEiCandidates: 24,
  gamma: defaultGamma,
  multivariate: false,
  constantLiar: false,
  parzen: DEFAULT_PARZEN,
};

/** Score of a pruned trial for the split: deeper (later step) first, then its last intermediate value. */
function prunedKey(t: Trial, dir: Direction): [number, number] {
  const iv = t.intermediate ?? [];
  if (iv.length === 0) return [1, 0];
  const [step, v] = iv[iv.length - 1];
  if (!Number.isFinite(v)) return [-step, Infinity];
  return [-step, dir === "minimize" ? v : -v];
}

/** Optuna's split into "below" (good) and "above" trials; both returned in trial-number order. */
export function splitTrials(
  trials: readonly Trial[],
  nBelow: number,
  dir: Direction,
): { below: Trial[]; above: Trial[] } {
  const complete: Trial[] = [];
  const pruned: Trial[] = [];
  const running: Trial[] = [];
  const infeasible: Trial[] = [];
  for (const t of trials) {
    if (t.state === "running") running.push(t);
    else if ((t.violation ?? 0) > 0) infeasible.push(t);
    else if (t.state === "complete") complete.push(t);
    else if (t.state === "pruned") pruned.push(t);
  }
  const sign = dir === "minimize" ? 1 : -1;
  complete.sort((a, b) => sign * (a.values![0] - b.values![0]) || a.number - b.number);
  let k = Math.min(nBelow, complete.length);
  const below = complete.slice(0, k);
  const above = complete.slice(k);
  let rest = Math.max(0, nBelow - k);
  pruned.sort((a, b) => {
    const ka = prunedKey(a, dir);
    const kb = prunedKey(b, dir);
    return ka[0] - kb[0] || (ka[1] === kb[1] ? 0 : ka[1] < kb[1] ? -1 : 1) || a.number - b.number;
  });
  k = Math.min(rest, pruned.length);
  below.push(...pruned.slice(0, k));
  above.push(...pruned.slice(k));
  rest = Math.max(0, rest - k);
  infeasible.sort((a, b) => (a.violation ?? 0) - (b.violation ?? 0) || a.number - b.number);
  k = Math.min(rest, infeasible.length);
  below.push(...infeasible.slice(0, k));
  above.push(...infeasible.slice(k), ...running);
  below.sort((a, b) => a.number - b.number);
  above.sort((a, b) => a.number - b.number);
  return { below, above };
}

/**
 * The Tree-structured Parzen Estimator as Optuna implements it (optuna/samplers/_tpe): after
 * `nStartupTrials` random trials, split the finished trials into the γ(n) best ("below", l(x))
 * and the rest ("above", g(x)), fit a Parzen estimator to each (old trials weighted down by a
 * linear ramp, prior weight 1), draw `nEiCandidates` from l(x) and keep the one with the largest
 * log l(x) − log g(x). Single objective; the first direction decides.
 */
export class TpeSampler implements Sampler {
  readonly method = "tpe" as const;
  readonly opts: TpeOptions;
  constructor(opts: Partial<TpeOptions> = {}) {
    this.opts = { ...DEFAULT_TPE, ...opts };
  }

  sample(ctx: SampleContext): Params {
    const { space, number } = ctx;
    const dir = ctx.directions[0];
    const rng = trialRng(ctx.seed, "tpe", number);
    const history = ctx.trials.filter(
      (t) =>
        t.number !== number &&
        ((t.state === "complete" && (t.values?.length ?? 0) > 0 && Number.isFinite(t.values![0])) ||
          t.state === "pruned" ||
          (this.opts.constantLiar && t.state === "running")),
    );
    const nDone = history.filter((t) => t.state !== "running").length;
    if (nDone < this.opts.nStartupTrials) return sampleRandomFeasible(space, rng);
    const { below, above } = splitTrials(history, this.opts.gamma(nDone), dir);
    // The estimators depend only on the split: built once, drawn from in every round.
    if (this.opts.multivariate) {
      const dists = space.names.map((n) => space.dists[n]);
      const l = this.estimator(dists, space.names, below);
      const g = this.estimator(dists, space.names, above);
      for (let round = 0; round < 20; round++) {
        const p = this.sampleJoint(space, dists, l, g, rng);
        if (p) return p;
      }
    } else {
      const pairs = space.names.map((n) => {
        const d = [space.dists[n]];
        return { l: this.estimator(d, [n], below), g: this.estimator(d, [n], above) };
      });
      for (let round = 0; round < 20; round++) {
        const p = this.sampleIndependent(space, pairs, rng);
        if (p) return p;
      }
    }
    return sampleRandomFeasible(space, rng);
  }

  private estimator(dists: Distribution[], names: string[], trials: Trial[]): ParzenEstimator {
    const obs = names.map((n, j) => {
      const a = new Float64Array(trials.length);
      const d = dists[j];
      for (let i = 0; i < trials.length; i++) a[i] = toInternal(d, trials[i].params[n]);
      return a;
    });
    return new ParzenEstimator(dists, obs, defaultWeights(trials.length), this.opts.parzen);
  }

  /** `nEiCandidates` draws from l(x) and their acquisition log l(x) − log g(x). */
  private candidates(l: ParzenEstimator, g: ParzenEstimator, rng: Rng): { samples: Float64Array[]; acq: Float64Array } {
    const m = this.opts.nEiCandidates;
    const samples = l.sample(rng, m);
    const lb = l.logPdf(samples, m);
    const la = g.logPdf(samples, m);
    const acq = new Float64Array(m);
    for (let i = 0; i < m; i++) acq[i] = lb[i] - la[i];
    return { samples, acq };
  }

  private sampleJoint(
    space: SearchSpace,
    dists: Distribution[],
    l: ParzenEstimator,
    g: ParzenEstimator,
    rng: Rng,
  ): Params | undefined {
    const { samples, acq } = this.candidates(l, g, rng);
    const order = Array.from(acq.keys()).sort((a, b) => acq[b] - acq[a] || a - b);
    for (const i of order) {
      const p: Params = {};
      space.names.forEach((n, j) => (p[n] = fromInternal(dists[j], samples[j][i])));
      if (feasible(space, p)) return p;
    }
    return undefined;
  }

  /**
   * Each param's candidates and acquisitions, drawn independently (Optuna's default). Without
   * constraints the result is each param's best candidate. With constraints, the acquisition of a
   * combination is the sum of its params' (the univariate estimators factorize), so the best
   * feasible combination of this round's candidates is taken — best first, the unconstrained
   * choice when it is feasible — instead of redrawing until every param's best happens to fit.
   */
  private sampleIndependent(
    space: SearchSpace,
    pairs: Array<{ l: ParzenEstimator; g: ParzenEstimator }>,
    rng: Rng,
  ): Params | undefined {
    const names = space.names;
    const drawn = pairs.map(({ l, g }, j) => {
      const { samples, acq } = this.candidates(l, g, rng);
      const d = space.dists[names[j]];
      // candidates best first (ties: the earlier draw)
      const key = Array.from(acq, (a) => (Number.isNaN(a) ? -Infinity : a));
      const order = Array.from(key.keys()).sort((a, b) => key[b] - key[a] || a - b);
      return { values: order.map((i) => fromInternal(d, samples[0][i])), key: order.map((i) => key[i]) };
    });
    const pick = (idx: number[]): Params => {
      const p: Params = {};
      names.forEach((n, j) => (p[n] = drawn[j].values[idx[j]]));
      return p;
    };
    const first = pick(names.map(() => 0));
    if (space.constraints.length === 0 || feasible(space, first)) return first;
    return bestFeasible(
      drawn.map((d) => d.key),
      (idx) => {
        const p = pick(idx);
        return feasible(space, p) ? p : undefined;
      },
    );
  }
}

/**
 * Best-first walk over index tuples of per-dimension lists sorted best first (`keys[j][i]`, higher
 * is better; a tuple scores the sum of its keys): returns the first tuple `accept` takes, or
 * undefined after `limit` tuples.
 */
export function bestFeasible<T>(
  keys: number[][],
  accept: (idx: number[]) => T | undefined,
  limit = 4096,
): T | undefined {
  const score = (idx: number[]) => {
    let s = 0;
    for (let j = 0; j < idx.length; j++) s += keys[j][idx[j]];
    return Number.isNaN(s) ? -Infinity : s;
  };
  // a small binary max-heap of [score, tuple]; ties: the tuple found first
  const heap: Array<{ s: number; idx: number[]; seq: number }> = [];
  const better = (a: (typeof heap)[number], b: (typeof heap)[number]) => a.s > b.s || (a.s === b.s && a.seq < b.seq);
  let seq = 0;
  const push = (idx: number[]) => {
    const item = { s: score(idx), idx, seq: seq++ };
    heap.push(item);
    for (let i = heap.length - 1; i > 0;) {
      const up = (i - 1) >> 1;
      if (!better(heap[i], heap[up])) break;
      [heap[i], heap[up]] = [heap[up], heap[i]];
      i = up;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const a = 2 * i + 1,
          b = a + 1;
        let m = i;
        if (a < heap.length && better(heap[a], heap[m])) m = a;
        if (b < heap.length && better(heap[b], heap[m])) m = b;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  const seen = new Set<string>();
  const start = keys.map(() => 0);
  seen.add(start.join(","));
  push(start);
  for (let n = 0; n < limit && heap.length > 0; n++) {
    const { idx } = pop();
    const hit = accept(idx);
    if (hit !== undefined) return hit;
    for (let j = 0; j < idx.length; j++) {
      if (idx[j] + 1 >= keys[j].length) continue;
      const next = idx.slice();
      next[j]++;
      const k = next.join(",");
      if (seen.has(k)) continue;
      seen.add(k);
      push(next);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- NSGA-II

/** Non-domination ranks (0 = Pareto front) of points given as minimization values. */
export function nonDominatedRanks(points: number[][]): number[] {
  const n = points.length;
  const dominates = (a: number[], b: number[]): boolean => {
    let strictly = false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] > b[i]) return false;
      if (a[i] < b[i]) strictly = true;
    }
    return strictly;
  };
  const dominatedBy = Array.from({ length: n }, () => [] as number[]);
  const count = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i], points[j])) {
        dominatedBy[i].push(j);
        count[j]++;
      } else if (dominates(points[j], points[i])) {
        dominatedBy[j].push(i);
        count[i]++;
      }
    }
  const rank = new Array<number>(n).fill(-1);
  let front = [...Array(n).keys()].filter((i) => count[i] === 0);
  let r = 0;
  while (front.length) {
    const next: number[] = [];
    for (const i of front) {
      rank[i] = r;
      for (const j of dominatedBy[i]) if (--count[j] === 0) next.push(j);
    }
    front = next;
    r++;
  }
  return rank;
}

/** Crowding distance of points within one front (boundary points Infinity). */
export function crowdingDistance(points: number[][]): number[] {
  const n = points.length;
  const d = new Array<number>(n).fill(0);
  if (n === 0) return d;
  const m = points[0].length;
  for (let k = 0; k < m; k++) {
    const order = [...Array(n).keys()].sort((a, b) => points[a][k] - points[b][k]);
    const lo = points[order[0]][k];
    const hi = points[order[n - 1]][k];
    d[order[0]] = d[order[n - 1]] = Infinity;
    if (hi === lo) continue;
    for (let i = 1; i < n - 1; i++) d[order[i]] += (points[order[i + 1]][k] - points[order[i - 1]][k]) / (hi - lo);
  }
  return d;
}

/** Trials on the Pareto front of feasible complete trials. */
export function paretoFront(trials: readonly Trial[], directions: Direction[]): Trial[] {
  const scored = trials.filter(isScored);
  const pts = scored.map((t) => t.values!.map((v, i) => (directions[i] === "maximize" ? -v : v)));
  const ranks = nonDominatedRanks(pts);
  return scored.filter((_, i) => ranks[i] === 0);
}

export interface Nsga2Options {
  populationSize: number;
  crossoverProb: number;
  swappingProb: number;
  /** Per-param mutation probability; default 1 / number of params. */
  mutationProb?: number;
}

/**
 * NSGA-II (Deb et al. 2002) for two or more objectives: generation g = ⌊number / population⌋;
 * generation 0 is random; later generations breed from the elite population — the best
 * `populationSize` finished trials of earlier generations by non-domination rank, then crowding
 * distance — by binary tournament, uniform crossover and per-param random mutation.
 */
export class Nsga2Sampler implements Sampler {
  readonly method = "nsga2" as const;
  readonly opts: Nsga2Options;
  constructor(opts: Partial<Nsga2Options> = {}) {
    this.opts = { populationSize: 50, crossoverProb: 0.9, swappingProb: 0.5, ...opts };
  }

  /** The elite parent population (with rank and crowding) for generation g. */
  parents(
    trials: readonly Trial[],
    directions: Direction[],
    generation: number,
  ): Array<{ t: Trial; rank: number; crowd: number }> {
    const P = this.opts.populationSize;
    const pool = trials.filter((t) => isScored(t) && Math.floor(t.number / P) < generation);
    const pts = pool.map((t) => t.values!.map((v, i) => (directions[i] === "maximize" ? -v : v)));
    const ranks = nonDominatedRanks(pts);
    const out: Array<{ t: Trial; rank: number; crowd: number }> = [];
    const maxRank = Math.max(-1, ...ranks);
    for (let r = 0; r <= maxRank && out.length < P; r++) {
      const idx = ranks.flatMap((x, i) => (x === r ? [i] : []));
      const cd = crowdingDistance(idx.map((i) => pts[i]));
      const members = idx.map((i, j) => ({ t: pool[i], rank: r, crowd: cd[j] }));
      if (out.length + members.length > P) members.sort((a, b) => b.crowd - a.crowd || a.t.number - b.t.number);
      out.push(...members.slice(0, P - out.length));
    }
    return out;
  }

  sample(ctx: SampleContext): Params {
    const { space } = ctx;
    const rng = trialRng(ctx.seed, "nsga2", ctx.number);
    const g = Math.floor(ctx.number / this.opts.populationSize);
    const parents = g === 0 ? [] : this.parents(ctx.trials, ctx.directions, g);
    if (parents.length < 2) return sampleRandomFeasible(space, rng);
    const pick = () => {
      const a = parents[rng.int(parents.length)];
      const b = parents[rng.int(parents.length)];
      return a.rank < b.rank || (a.rank === b.rank && a.crowd >= b.crowd) ? a : b;
    };
    const mut = this.opts.mutationProb ?? 1 / Math.max(1, space.names.length);
    for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
      const p1 = pick().t.params;
      const p2 = pick().t.params;
      const cross = rng.uniform() < this.opts.crossoverProb;
      const child: Params = {};
      for (const n of space.names) {
        child[n] = cross && rng.uniform() < this.opts.swappingProb ? p2[n] : p1[n];
        if (rng.uniform() < mut) child[n] = sampleUniform(space.dists[n], rng);
      }
      if (feasible(space, child)) return child;
    }
    return sampleRandomFeasible(space, rng);
  }
}

export type Method = "grid" | "random" | "tpe" | "nsga2";

export function createSampler(
  method: Method,
  opts: { gridLimit?: number; tpe?: Partial<TpeOptions>; nsga2?: Partial<Nsga2Options> } = {},
): Sampler {
  switch (method) {
    case "grid":
      return new GridSampler(opts.gridLimit);
    case "random":
      return new RandomSampler();
    case "tpe":
      return new TpeSampler(opts.tpe);
    case "nsga2":
      return new Nsga2Sampler(opts.nsga2);
  }
}
