import { describe, expect, it } from "vitest";
import { normCdf, normPpf } from "@/lib/metrics/normal";
import {
  deflatedSharpeRatio,
  expectedMaxSharpe,
  kurtosis,
  minTrackRecordLength,
  overfittingReport,
  overfittingSentence,
  perPeriodSharpe,
  probabilisticSharpeRatio,
  probabilityOfBacktestOverfitting,
  skewness,
} from "@/lib/metrics/overfitting";
import { Rng } from "@/lib/data/rng";

describe("standard normal", () => {
  it("matches published values of Φ and Φ⁻¹", () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normCdf(-2.5)).toBeCloseTo(0.006209665325776132, 15);
    expect(normPpf(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normPpf(0.99)).toBeCloseTo(2.3263478740408408, 12);
    expect(normPpf(1e-6)).toBeCloseTo(-4.753424308822899, 10);
    for (const p of [1e-10, 0.01, 0.3, 0.5, 0.77, 0.999]) expect(normCdf(normPpf(p))).toBeCloseTo(p, 12);
  });
});

describe("Deflated Sharpe Ratio — Bailey & López de Prado (2014) worked example", () => {
  // Annual SR 2.5, annual V[SR] 0.5 over N = 100 trials, T = 1250 daily returns (5 years of 250
  // days), skew −3, raw kurtosis 10. The paper: E[max SR] ≈ 0.1132 per day, DSR ≈ 0.9004.
  const sr = 2.5 / Math.sqrt(250);
  const v = 0.5 / 250;
  it("expected maximum Sharpe of 100 trials", () => {
    // hand: √(0.5/250)·(0.42278·Φ⁻¹(0.99) + 0.57722·Φ⁻¹(1 − 1/(100e)))
    expect(expectedMaxSharpe(100, v)).toBeCloseTo(0.1132, 4);
    expect(expectedMaxSharpe(1, v)).toBe(0);
  });
  it("DSR = 0.9004", () => {
    const r = deflatedSharpeRatio({ sharpe: sr, t: 1250, skew: -3, kurtosis: 10, nTrials: 100, sharpeVariance: v });
    expect(r.dsr).toBeCloseTo(0.9004, 3);
    // Using the EXCESS kurtosis (7) instead of the raw one would give a different, wrong figure.
    const wrong = deflatedSharpeRatio({ sharpe: sr, t: 1250, skew: -3, kurtosis: 7, nTrials: 100, sharpeVariance: v });
    expect(wrong.dsr).toBeCloseTo(0.9018, 3);
    expect(Math.abs(wrong.dsr - r.dsr)).toBeGreaterThan(0.001);
  });
  it("PSR against 0 and the minimum track record length (hand computation)", () => {
    // PSR: Φ(SR·√1249 / √(1 + 3·SR + 9/4·SR²))
    const f = 1 + 3 * sr + (9 / 4) * sr * sr;
    expect(probabilisticSharpeRatio({ sharpe: sr, t: 1250, skew: -3, kurtosis: 10 })).toBeCloseTo(
      normCdf((sr * Math.sqrt(1249)) / Math.sqrt(f)),
      14,
    );
    // normal returns, SR 0.1 per period, 95 %: 1 + 1.005·(1.6448536/0.1)² = 272.91
    expect(minTrackRecordLength({ sharpe: 0.1, skew: 0, kurtosis: 3 })).toBeCloseTo(
      1 + 1.005 * Math.pow(1.6448536269514722 / 0.1, 2),
      8,
    );
    expect(minTrackRecordLength({ sharpe: 0.1, skew: 0, kurtosis: 3 })).toBeCloseTo(272.9, 1);
    expect(minTrackRecordLength({ sharpe: -0.1, skew: 0, kurtosis: 3 })).toBe(Infinity);
  });
});

describe("moments", () => {
  it("skewness and RAW kurtosis (population) by hand", () => {
    const x = [1, 2, 3, 4, 10];
    // mean 4; deviations −3 −2 −1 0 6; m2 = 50/5 = 10; m3 = (−27−8−1+0+216)/5 = 36; m4 = (81+16+1+0+1296)/5 = 278.8
    expect(skewness(x)).toBeCloseTo(36 / Math.pow(10, 1.5), 14);
    expect(kurtosis(x)).toBeCloseTo(278.8 / 100, 14);
    const rng = new Rng(7);
    const normal = Array.from({ length: 200_000 }, () => rng.normal());
    expect(kurtosis(normal)).toBeCloseTo(3, 1);
    expect(skewness(normal)).toBeCloseTo(0, 1);
    expect(perPeriodSharpe([0.01, 0.03])).toBeCloseTo(0.02 / Math.sqrt(0.0002), 12);
  });
});

describe("PBO by CSCV", () => {
  it("two trials that each win only half the time: the in-sample winner always loses out of sample (PBO 1)", () => {
    // S = 2: block 0 = first 4 returns, block 1 = last 4.
    const a = [0.02, 0.01, 0.03, 0.02, -0.01, -0.02, -0.01, -0.03];
    const b = [-0.01, -0.02, -0.01, -0.03, 0.02, 0.01, 0.03, 0.02];
    const r = probabilityOfBacktestOverfitting([a, b], { splits: 2 });
    expect(r.combinations).toBe(2);
    // winner ranks 1 of 2 out of sample: ω = 1/3, λ = ln(1/2)
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(0.5), 14);
    expect(r.pbo).toBe(1);
  });
  it("one trial that is better in every block: PBO 0", () => {
    const rng = new Rng(3);
    const T = 640;
    const trials = Array.from({ length: 20 }, (_, n) =>
      Array.from({ length: T }, () => rng.normal() * 0.01 + (n === 5 ? 0.01 : 0)),
    );
    const r = probabilityOfBacktestOverfitting(trials);
    expect(r.combinations).toBe(12870); // C(16, 8)
    expect(r.pbo).toBe(0);
  });
  it("pure noise: PBO near one half", () => {
    // one data set's PBO varies a lot (its combinations share blocks); the mean over data sets is 1/2
    let sum = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = new Rng(seed);
      const trials = Array.from({ length: 30 }, () => Array.from({ length: 400 }, () => rng.normal() * 0.01));
      sum += probabilityOfBacktestOverfitting(trials, { splits: 8 }).pbo;
    }
    expect(sum / 20).toBeGreaterThan(0.4);
    expect(sum / 20).toBeLessThan(0.6);
  });
  it("equals a combination-by-combination computation written here, logit for logit (ties, NaN returns, sampled combinations)", () => {
    // The textbook procedure: for each half of the blocks, every trial's in-sample and
    // out-of-sample Sharpe from its finite returns, the in-sample winner (first on ties), its
    // average out-of-sample rank ω among the N trials, λ = ln(ω / (1 − ω)).
    const reference = (trials: number[][], S: number, maxC: number): number[] => {
      const T = trials[0].length;
      const L = Math.floor(T / S);
      const sh = (xs: number[]) => {
        const v = xs.filter(Number.isFinite);
        if (v.length < 2) return NaN;
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
        return sd === 0 ? (m === 0 ? 0 : m > 0 ? Infinity : -Infinity) : m / sd;
      };
      const combos: number[][] = [];
      const pick = (from: number, chosen: number[]) => {
        if (chosen.length === S / 2) return void combos.push(chosen);
        for (let b = from; b < S; b++) pick(b + 1, [...chosen, b]);
      };
      pick(0, []);
      const stride = Math.max(1, Math.ceil(combos.length / maxC));
      const out: number[] = [];
      combos.forEach((c, k) => {
        if (k % stride !== 0) return;
        const part = (inSample: boolean) =>
          trials.map((r) => sh(r.filter((_, t) => t < S * L && c.includes(Math.floor(t / L)) === inSample)));
        const is = part(true);
        const oos = part(false).map((x) => (Number.isNaN(x) ? -Infinity : x));
        let best = -1;
        is.forEach((x, n) => {
          if (!Number.isNaN(x) && (best < 0 || x > is[best])) best = n;
        });
        if (best < 0) return;
        const below = oos.filter((x) => x < oos[best]).length;
        const equal = oos.filter((x) => x === oos[best]).length;
        const omega = (below + (equal + 1) / 2) / (trials.length + 1);
        out.push(Math.log(omega / (1 - omega)));
      });
      return out;
    };
    const rng = new Rng(21);
    for (const [N, T, S, nanRate, maxC] of [
      [6, 170, 8, 0, 20_000],
      [12, 333, 10, 0.02, 20_000],
      [9, 240, 12, 0, 20_000],
      [9, 256, 16, 0.01, 1_000],
    ]) {
      const trials = Array.from({ length: N }, (_, n) =>
        Array.from({ length: T }, () => (rng.uniform() < nanRate ? NaN : rng.normal() * 0.01 + (n % 3) * 2e-4)),
      );
      trials.push(trials[0].slice(), trials[4].slice()); // exact ties
      const got = probabilityOfBacktestOverfitting(trials, { splits: S, maxCombinations: maxC });
      const want = reference(trials, S, maxC);
      expect(got.logits.length).toBe(want.length);
      got.logits.forEach((l, i) => expect(l).toBeCloseTo(want[i], 12));
    }
  });
  it("refuses odd splits and ragged input", () => {
    expect(() =>
      probabilityOfBacktestOverfitting(
        [
          [1, 2],
          [1, 2],
        ],
        { splits: 3 },
      ),
    ).toThrow(/even/);
    expect(() =>
      probabilityOfBacktestOverfitting(
        [
          [1, 2, 3, 4],
          [1, 2],
        ],
        { splits: 2 },
      ),
    ).toThrow(/same number/);
  });
});

describe("overfitting report", () => {
  it("deflates a lucky best trial of many noise trials and says so in words", () => {
    const rng = new Rng(5);
    const trials = Array.from({ length: 200 }, () => Array.from({ length: 500 }, () => rng.normal() * 0.01));
    const sh = trials.map(perPeriodSharpe);
    const best = sh.indexOf(Math.max(...sh));
    const r = overfittingReport(trials, best);
    expect(r.n_trials).toBe(200);
    expect(r.frequency).toBe("per_bar");
    expect(r.psr!).toBeGreaterThan(0.9); // alone, it looks significant
    expect(r.dsr!).toBeLessThan(0.6); // after 200 trials it does not
    expect(r.expected_max_sharpe!).toBeGreaterThan(0);
    expect(r.t).toBe(500);
    expect(overfittingSentence({ n_trials: 4851, dsr: 0.23, pbo: null })).toBe(
      "After 4,851 trials, the probability that this Sharpe reflects real skill is 23 %.",
    );
    expect(overfittingSentence({ n_trials: 19, dsr: 0.9996, pbo: 0.61 })).toBe(
      "After 19 trials, the probability that this Sharpe reflects real skill is over 99 %; the probability that the search picked an overfit parameter set is 61 %.",
    );
  });
});
