/**
 * What a backtest's Sharpe ratio is worth after a search: the Probabilistic Sharpe Ratio, the
 * expected maximum Sharpe of N unskilled trials, the Deflated Sharpe Ratio and the minimum track
 * record length (Bailey & López de Prado, "The Sharpe Ratio Efficient Frontier", 2012, and "The
 * Deflated Sharpe Ratio", 2014), and the Probability of Backtest Overfitting by combinatorially
 * symmetric cross-validation (Bailey, Borwein, López de Prado & Zhu, 2015).
 *
 * Every Sharpe here is PER PERIOD (not annualized), as in the papers' formulas; T is the number of
 * returns. Kurtosis is the RAW (Pearson) kurtosis, 3 for a normal distribution — not the excess.
 */
import { normCdf, normPpf } from "./normal";

/** Euler–Mascheroni constant. */
export const EULER_GAMMA = 0.5772156649015329;

function finiteValues(x: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) out.push(x[i]);
  return out;
}

/** Population skewness (third standardized moment, biased as in scipy.stats.skew); NaN if < 3 values or constant. */
export function skewness(returns: ArrayLike<number>): number {
  const v = finiteValues(returns);
  const n = v.length;
  if (n < 3) return NaN;
  const mean = v.reduce((s, x) => s + x, 0) / n;
  let m2 = 0;
  let m3 = 0;
  for (const x of v) {
    const d = x - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return m2 === 0 ? NaN : m3 / Math.pow(m2, 1.5);
}

/** Population RAW kurtosis (fourth standardized moment; 3 for a normal); NaN if < 4 values or constant. */
export function kurtosis(returns: ArrayLike<number>): number {
  const v = finiteValues(returns);
  const n = v.length;
  if (n < 4) return NaN;
  const mean = v.reduce((s, x) => s + x, 0) / n;
  let m2 = 0;
  let m4 = 0;
  for (const x of v) {
    const d = x - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m4 /= n;
  return m2 === 0 ? NaN : m4 / (m2 * m2);
}

/** Per-period Sharpe: mean / sample std (ddof 1) of the finite returns; NaN if < 2 values or zero std. */
export function perPeriodSharpe(returns: ArrayLike<number>): number {
  const v = finiteValues(returns);
  const n = v.length;
  if (n < 2) return NaN;
  const mean = v.reduce((s, x) => s + x, 0) / n;
  let ss = 0;
  for (const x of v) ss += (x - mean) * (x - mean);
  const sd = Math.sqrt(ss / (n - 1));
  return sd === 0 ? NaN : mean / sd;
}

/** Inputs shared by PSR, DSR and MinTRL: the observed per-period Sharpe and the return distribution's shape. */
export interface SharpeShape {
  /** Observed Sharpe ratio per period (not annualized). */
  sharpe: number;
  /** Skewness of the returns (0 for normal). */
  skew: number;
  /** RAW kurtosis of the returns (3 for normal). */
  kurtosis: number;
}

function sharpeStdFactor(s: SharpeShape): number {
  return 1 - s.skew * s.sharpe + ((s.kurtosis - 1) / 4) * s.sharpe * s.sharpe;
}

/**
 * Probabilistic Sharpe Ratio: P(true Sharpe > `benchmark`) given the observed Sharpe over `t`
 * returns with that skew and raw kurtosis:
 * Φ((SR − SR*)·√(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²)).
 */
export function probabilisticSharpeRatio(s: SharpeShape & { t: number; benchmark?: number }): number {
  const f = sharpeStdFactor(s);
  if (!(s.t > 1) || !(f > 0) || !Number.isFinite(s.sharpe)) return NaN;
  return normCdf(((s.sharpe - (s.benchmark ?? 0)) * Math.sqrt(s.t - 1)) / Math.sqrt(f));
}

/**
 * Expected maximum Sharpe among `nTrials` independent trials with true Sharpe 0 whose estimated
 * Sharpes have variance `sharpeVariance` (same frequency as the result):
 * √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))), γ the Euler–Mascheroni constant.
 * 0 for a single trial.
 */
export function expectedMaxSharpe(nTrials: number, sharpeVariance: number): number {
  if (!(nTrials >= 1) || !(sharpeVariance >= 0)) return NaN;
  if (nTrials === 1 || sharpeVariance === 0) return 0;
  const z1 = normPpf(1 - 1 / nTrials);
  const z2 = normPpf(1 - 1 / (nTrials * Math.E));
  return Math.sqrt(sharpeVariance) * ((1 - EULER_GAMMA) * z1 + EULER_GAMMA * z2);
}

/**
 * Deflated Sharpe Ratio: the PSR against the expected maximum Sharpe of `nTrials` unskilled trials.
 * `sharpeVariance` is the variance of the trials' per-period Sharpes.
 */
export function deflatedSharpeRatio(s: SharpeShape & { t: number; nTrials: number; sharpeVariance: number }): {
  dsr: number;
  expectedMaxSharpe: number;
} {
  const sr0 = expectedMaxSharpe(s.nTrials, s.sharpeVariance);
  return { dsr: probabilisticSharpeRatio({ ...s, benchmark: sr0 }), expectedMaxSharpe: sr0 };
}

/**
 * Minimum track record length: the number of returns needed for the observed Sharpe to exceed
 * `benchmark` with probability `confidence`:
 * 1 + (1 − γ₃·SR + (γ₄ − 1)/4·SR²) · (Φ⁻¹(confidence) / (SR − SR*))². Infinity when SR ≤ SR*.
 */
export function minTrackRecordLength(s: SharpeShape & { benchmark?: number; confidence?: number }): number {
  const bench = s.benchmark ?? 0;
  const conf = s.confidence ?? 0.95;
  if (!Number.isFinite(s.sharpe)) return NaN;
  if (s.sharpe <= bench) return Infinity;
  const z = normPpf(conf);
  return 1 + sharpeStdFactor(s) * Math.pow(z / (s.sharpe - bench), 2);
}

/** Result of {@link probabilityOfBacktestOverfitting}. */
export interface PboResult {
  /** Share of the combinations whose in-sample winner ranks at or below the out-of-sample median (logit ≤ 0). */
  pbo: number;
  /** Logit λ = ln(ω / (1 − ω)) of the winner's relative out-of-sample rank, one per combination. */
  logits: Float64Array;
  /** Number of splits S of the period and combinations evaluated. */
  splits: number;
  combinations: number;
}

/** Every k-subset of 0..n-1 in lexicographic order. */
function* combinations(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield idx.slice();
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * Probability of Backtest Overfitting by CSCV. `trialReturns[n]` is trial n's per-period return
 * series (all the same length T). The T rows are cut into `splits` (even, default 16) contiguous
 * blocks of ⌊T/S⌋ rows (the last T mod S rows are dropped); for each of the C(S, S/2) ways to pick
 * half the blocks as in-sample (the rest out-of-sample), the trial with the best in-sample Sharpe
 * (mean / std ddof 1; first on ties) is located in the out-of-sample ranking: ω = rank / (N + 1)
 * (ranks 1..N ascending, ties averaged), λ = ln(ω / (1 − ω)). PBO = share of λ ≤ 0.
 * With more than `maxCombinations` combinations, every ⌈C / max⌉-th one (in lexicographic order) is used.
 */
export function probabilityOfBacktestOverfitting(
  trialReturns: ArrayLike<number>[],
  options: { splits?: number; maxCombinations?: number } = {},
): PboResult {
  const S = options.splits ?? 16;
  if (!Number.isInteger(S) || S < 2 || S % 2 !== 0)
    throw new RangeError(`probabilityOfBacktestOverfitting: splits must be an even integer >= 2, got ${S}`);
  const N = trialReturns.length;
  if (N < 2) throw new RangeError("probabilityOfBacktestOverfitting: needs at least 2 trials");
  const T = trialReturns[0].length;
  for (const r of trialReturns)
    if (r.length !== T)
      throw new RangeError("probabilityOfBacktestOverfitting: every trial needs the same number of returns");
  const blockLen = Math.floor(T / S);
  if (blockLen < 2) throw new RangeError(`probabilityOfBacktestOverfitting: ${T} returns are too few for ${S} splits`);
  // per-block sums, sums of squares and counts of finite values for every trial, block-major
  // (block b's values for every trial are contiguous, so each combination adds whole rows)
  const sum = new Float64Array(S * N);
  const sq = new Float64Array(S * N);
  const cnt = new Float64Array(S * N);
  for (let n = 0; n < N; n++) {
    const r = trialReturns[n];
    for (let b = 0; b < S; b++) {
      let s1 = 0;
      let s2 = 0;
      let c = 0;
      for (let t = b * blockLen; t < (b + 1) * blockLen; t++) {
        const v = r[t];
        if (Number.isFinite(v)) {
          s1 += v;
          s2 += v * v;
          c++;
        }
      }
      sum[b * N + n] = s1;
      sq[b * N + n] = s2;
      cnt[b * N + n] = c;
    }
  }
  // Every value finite (the usual case): both halves count S/2 full blocks, no counts to add.
  let full = true;
  for (let j = 0; j < S * N && full; j++) full = cnt[j] === blockLen;
  const halfCount = (S / 2) * blockLen;
  const total = binomial(S, S / 2);
  const maxC = options.maxCombinations ?? 20_000;
  const stride = Math.max(1, Math.ceil(total / maxC));
  const logits: number[] = [];
  const isSel = new Uint8Array(S);
  const a1 = new Float64Array(N),
    a2 = new Float64Array(N),
    ac = new Float64Array(N),
    o1 = new Float64Array(N),
    o2 = new Float64Array(N),
    oc = new Float64Array(N);
  const sharpeOf = (s1: number, s2: number, c: number): number => {
    if (c < 2) return NaN;
    const mean = s1 / c;
    const v = (s2 - c * mean * mean) / (c - 1);
    const sd = v > 0 ? Math.sqrt(v) : 0;
    return sd === 0 ? (mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity) : mean / sd;
  };
  /** The logit of one combination's in-sample winner, or null when no trial has an in-sample Sharpe. */
  const leaf = (
    is1: Float64Array,
    is2: Float64Array,
    isc: Float64Array,
    o1: Float64Array,
    o2: Float64Array,
    oc: Float64Array,
  ): number | null => {
    let best = -1;
    let bestPerf = NaN;
    for (let n = 0; n < N; n++) {
      const v = sharpeOf(is1[n], is2[n], isc[n]);
      if (v === v && (best < 0 || v > bestPerf)) {
        best = n;
        bestPerf = v;
      }
    }
    if (best < 0) return null;
    const t0 = sharpeOf(o1[best], o2[best], oc[best]);
    const tv = t0 !== t0 ? -Infinity : t0;
    let below = 0;
    let equal = 0;
    for (let n = 0; n < N; n++) {
      const x = sharpeOf(o1[n], o2[n], oc[n]);
      const v = x !== x ? -Infinity : x;
      if (v < tv) below++;
      else if (v === tv) equal++;
    }
    const rank = below + (equal + 1) / 2; // average rank among ties, 1-based
    const omega = rank / (N + 1);
    return Math.log(omega / (1 - omega));
  };
  if (stride === 1) {
    // Every combination, depth-first over the blocks in ascending order: block b joins the
    // in-sample side (first, for lexicographic order) or the out-of-sample side. Each side's partial
    // sums sit on a stack indexed by how many blocks it holds, so a prefix's sums are shared by
    // every combination that starts with it — the same additions, in the same order per trial, as
    // summing each combination on its own, at a fraction of the work.
    const half = S / 2;
    const stack = () => Array.from({ length: half + 1 }, () => new Float64Array(N));
    const is1 = stack(),
      is2 = stack(),
      isc = stack(),
      os1 = stack(),
      os2 = stack(),
      osc = stack();
    if (full)
      for (let j = 0; j <= half; j++) {
        isc[j].fill(halfCount);
        osc[j].fill(halfCount);
      }
    const addBlock = (
      b: number,
      f1: Float64Array,
      f2: Float64Array,
      fc: Float64Array,
      t1: Float64Array,
      t2: Float64Array,
      tc: Float64Array,
    ) => {
      const off = b * N;
      for (let n = 0; n < N; n++) {
        t1[n] = f1[n] + sum[off + n];
        t2[n] = f2[n] + sq[off + n];
      }
      if (!full) for (let n = 0; n < N; n++) tc[n] = fc[n] + cnt[off + n];
    };
    const visit = (b: number, ni: number, no: number): void => {
      if (b === S) {
        const l = leaf(is1[half], is2[half], isc[half], os1[half], os2[half], osc[half]);
        if (l !== null) logits.push(l);
        return;
      }
      if (ni < half) {
        addBlock(b, is1[ni], is2[ni], isc[ni], is1[ni + 1], is2[ni + 1], isc[ni + 1]);
        visit(b + 1, ni + 1, no);
      }
      if (no < half) {
        addBlock(b, os1[no], os2[no], osc[no], os1[no + 1], os2[no + 1], osc[no + 1]);
        visit(b + 1, ni, no + 1);
      }
    };
    visit(0, 0, 0);
  } else {
    let k = 0;
    for (const combo of combinations(S, S / 2)) {
      if (k++ % stride !== 0) continue;
      isSel.fill(0);
      for (const b of combo) isSel[b] = 1;
      a1.fill(0);
      a2.fill(0);
      o1.fill(0);
      o2.fill(0);
      if (full) {
        ac.fill(halfCount);
        oc.fill(halfCount);
      } else {
        ac.fill(0);
        oc.fill(0);
      }
      for (let b = 0; b < S; b++) {
        const x1 = isSel[b] ? a1 : o1,
          x2 = isSel[b] ? a2 : o2,
          xc = isSel[b] ? ac : oc;
        const off = b * N;
        for (let n = 0; n < N; n++) {
          x1[n] += sum[off + n];
          x2[n] += sq[off + n];
        }
        if (!full) for (let n = 0; n < N; n++) xc[n] += cnt[off + n];
      }
      const l = leaf(a1, a2, ac, o1, o2, oc);
      if (l !== null) logits.push(l);
    }
  }
  const out = Float64Array.from(logits);
  let nonPositive = 0;
  for (const l of out) if (l <= 0) nonPositive++;
  return { pbo: out.length === 0 ? NaN : nonPositive / out.length, logits: out, splits: S, combinations: out.length };
}

/** Honest figures for a study: what the best trial's Sharpe is worth after `nTrials` trials. */
export interface OverfittingReport {
  n_trials: number;
  /** Variance of the trials' per-period Sharpes (ddof 1). */
  sharpe_variance: number | null;
  /** Expected maximum per-period Sharpe of n_trials unskilled trials. */
  expected_max_sharpe: number | null;
  /** The frequency of sharpe_variance, expected_max_sharpe and best_sharpe: one bar. */
  frequency: "per_bar";
  /** Best trial's per-period Sharpe. */
  best_sharpe: number | null;
  psr: number | null;
  dsr: number | null;
  pbo: number | null;
  skew: number | null;
  /** Raw kurtosis of the best trial's returns. */
  kurtosis: number | null;
  /** Number of returns of the best trial. */
  t: number;
  min_track_record_length: number | null;
}

const nul = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The overfitting figures of a study from its trials' per-bar return series (all the same length)
 * and the index of the chosen trial. `nTrials` (default: the series count) lets pruned and failed
 * trials count toward the deflation even though they have no full series.
 */
export function overfittingReport(
  trialReturns: ArrayLike<number>[],
  bestIndex: number,
  options: { nTrials?: number; pboSplits?: number } = {},
): OverfittingReport {
  const nTrials = Math.max(options.nTrials ?? trialReturns.length, trialReturns.length);
  const sharpes = trialReturns.map(perPeriodSharpe).filter((x) => Number.isFinite(x));
  let variance = NaN;
  if (sharpes.length >= 2) {
    const m = sharpes.reduce((s, x) => s + x, 0) / sharpes.length;
    variance = sharpes.reduce((s, x) => s + (x - m) * (x - m), 0) / (sharpes.length - 1);
  }
  const best = trialReturns[bestIndex] ?? [];
  const sr = perPeriodSharpe(best);
  const sk = skewness(best);
  const ku = kurtosis(best);
  const t = finiteValues(best).length;
  const shape = { sharpe: sr, skew: sk, kurtosis: ku, t };
  const psr = probabilisticSharpeRatio(shape);
  const { dsr, expectedMaxSharpe: sr0 } = Number.isFinite(variance)
    ? deflatedSharpeRatio({ ...shape, nTrials, sharpeVariance: variance })
    : { dsr: NaN, expectedMaxSharpe: NaN };
  let pbo = NaN;
  const S = options.pboSplits ?? 16;
  if (trialReturns.length >= 2 && best.length >= 2 * S) {
    pbo = probabilityOfBacktestOverfitting(trialReturns, { splits: S }).pbo;
  }
  return {
    n_trials: nTrials,
    sharpe_variance: nul(variance),
    expected_max_sharpe: nul(sr0),
    frequency: "per_bar",
    best_sharpe: nul(sr),
    psr: nul(psr),
    dsr: nul(dsr),
    pbo: nul(pbo),
    skew: nul(sk),
    kurtosis: nul(ku),
    t,
    min_track_record_length: nul(minTrackRecordLength(shape)),
  };
}

/** The plain-words sentence shown beside a study's best result. */
export function overfittingSentence(r: Pick<OverfittingReport, "n_trials" | "dsr" | "pbo">): string {
  const n = r.n_trials.toLocaleString("en-US");
  const trials = `${n} trial${r.n_trials === 1 ? "" : "s"}`;
  if (r.dsr === null)
    return `After ${trials}, there is too little data to say whether this Sharpe reflects real skill.`;
  // Whole percent, but never a rounded certainty: above 99.5 % reads "over 99 %", below 0.5 % "under 1 %".
  const words = (p: number) => (p >= 0.995 ? "over 99 %" : p < 0.005 ? "under 1 %" : `${Math.round(p * 100)} %`);
  let s = `After ${trials}, the probability that this Sharpe reflects real skill is ${words(r.dsr)}`;
  if (r.pbo !== null) s += `; the probability that the search picked an overfit parameter set is ${words(r.pbo)}`;
  return s + ".";
}
