/**
 * The evolutionary search: determinism from the seed, operator rates at the defaults (seeded
 * statistical tests), declared ranges respected, crossover genes from the parents, duplicates
 * counted and not re-evaluated, lineage, rotating windows, the minimum trade count, and the
 * candidate / live gates at their edges.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "@/lib/data/rng";
import { generateDemoSeries } from "@/lib/data/demo-universe";
import { resolveUniverse } from "@/lib/data/universes";
import {
  crossover,
  DEFAULT_EVOLVE_CONFIG,
  defaultSeedPlans,
  evaluateGenome,
  evolve,
  familyTree,
  genesOf,
  getAt,
  initialState,
  mutate,
  runGeneration,
  candidateWindow,
  withinRanges,
  type Evaluation,
  type Evaluator,
} from "@/lib/evolve";
import { candidateGate, DEFAULT_GATES, liveGate, shadowGate } from "@/lib/lifecycle/gates";
import { rulePlan, type RulePlan } from "@/lib/rules";

const seeds = defaultSeedPlans();
const symbol = resolveUniverse("demo-1", { seed: 42 })[0];
const universe = [generateDemoSeries(symbol, { seed: 42, years: 4 }).series];
const realEval: Evaluator = (p, w) => evaluateGenome(p, universe, w, { minTrades: 10 });

/** A cheap evaluator whose fitness depends only on the genome (a hash of its numbers). */
function fakeEvaluator(calls: { n: number }): Evaluator {
  return (plan) => {
    calls.n += 1;
    const text = JSON.stringify(plan);
    let h = 7;
    for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
    const fitness = (h % 1000) / 10;
    const e: Evaluation = {
      fitness,
      metrics: {
        num_trades: 20,
        profit_factor: 1,
        win_rate_pct: 40,
        sharpe: 0,
        max_drawdown_pct: -10,
        total_return_pct: 0,
        grade_score: fitness,
        window_start_ms: 0,
        window_end_ms: 0,
      },
      gate: { profitFactor: 1, winRatePct: 40, numTrades: 20 },
      returnsShape: { sharpe: fitness / 1000, skew: 0, kurtosis: 3, t: 500 },
    };
    return e;
  };
}

describe("evolve: determinism", () => {
  it("the same seed gives the same population and the same fitness; another seed differs", () => {
    const a = evolve(seeds, realEval, universe[0].close.length, {
      generations: 3,
      seed: 11,
      config: { population: 8 },
    });
    const b = evolve(seeds, realEval, universe[0].close.length, {
      generations: 3,
      seed: 11,
      config: { population: 8 },
    });
    const c = evolve(seeds, realEval, universe[0].close.length, {
      generations: 3,
      seed: 12,
      config: { population: 8 },
    });
    const view = (r: typeof a) =>
      r.generations.map((g) => g.individuals.map((x) => [x.id, x.parents, x.operator, x.genome, x.fitness, x.state]));
    expect(view(a)).toEqual(view(b));
    expect(a.best).toEqual(b.best);
    expect(view(c)).not.toEqual(view(a));
    for (const g of a.generations) expect(g.individuals).toHaveLength(8);
  });
});

describe("evolve: operators", () => {
  it("mutation chooses about 30 % of genes at the default rate and always changes a chosen gene", () => {
    const rng = new Rng(2024);
    const plan = seeds[0];
    const genes = genesOf(plan);
    let chosen = 0;
    let changed = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const m = mutate(plan, genes, DEFAULT_EVOLVE_CONFIG.mutationRate, rng);
      chosen += m.mutated;
      changed += genes.filter((g) => getAt(m.plan, g.path) !== getAt(plan, g.path)).length;
    }
    const share = chosen / (trials * genes.length);
    // Binomial sd at n = 16 000, p = 0.3 is 0.0036: ±0.015 is over four sd.
    expect(Math.abs(share - 0.3)).toBeLessThan(0.015);
    expect(changed).toBe(chosen);
  });

  it("about 40 % of offspring come from crossover at the defaults, and about 30 % of their genes mutate", () => {
    const calls = { n: 0 };
    let state = initialState(seeds, 5);
    let crossed = 0;
    let offspring = 0;
    let mutated = 0;
    let offered = 0;
    for (let g = 0; g < 8; g++) {
      const r = runGeneration(state, fakeEvaluator(calls), 1000, { ...DEFAULT_EVOLVE_CONFIG, population: 300 });
      state = r.state;
      if (g > 0) {
        crossed += r.report.n_crossover;
        offspring += r.report.n_offspring;
      }
      mutated += r.report.n_genes_mutated;
      offered += r.report.n_genes_offered;
    }
    expect(offspring).toBeGreaterThan(2000);
    expect(Math.abs(crossed / offspring - 0.4)).toBeLessThan(0.04);
    expect(Math.abs(mutated / offered - 0.3)).toBeLessThan(0.03);
  });

  it("every gene stays inside its declared range and every genome stays a valid plan, even at mutation rate 1", () => {
    const calls = { n: 0 };
    const r = evolve(seeds, fakeEvaluator(calls), 1000, {
      generations: 15,
      seed: 3,
      config: { population: 40, mutationRate: 1, crossoverRate: 0.5 },
    });
    const seedGenes = seeds.map((s) => genesOf(s));
    for (const g of r.generations)
      for (const x of g.individuals) {
        expect(rulePlan.safeParse(x.genome).success).toBe(true);
        expect(
          seedGenes.some((genes) => genes.length === genesOf(x.genome).length && withinRanges(x.genome, genes)),
        ).toBe(true);
      }
    // The ranges are the seed's declared ranges (half to double for the SMA periods 50 and 200).
    expect(seedGenes[0].map((g) => [g.min, g.max])).toEqual([
      [25, 100],
      [100, 400],
      [25, 100],
      [100, 400],
    ]);
  });

  it("a crossover child takes each gene from one of its two parents", () => {
    const genes = genesOf(seeds[1]);
    const a = seeds[1];
    let b: RulePlan = a;
    const rng = new Rng(9);
    while (genes.every((g) => getAt(b, g.path) !== getAt(a, g.path)) === false) b = mutate(a, genes, 1, rng).plan;
    let fromA = 0;
    let fromB = 0;
    for (let t = 0; t < 500; t++) {
      const c = crossover(a, b, genes, rng);
      for (const g of genes) {
        const v = getAt(c, g.path);
        expect([getAt(a, g.path), getAt(b, g.path)]).toContain(v);
        if (v === getAt(a, g.path)) fromA += 1;
        else fromB += 1;
      }
    }
    expect(Math.abs(fromA / (fromA + fromB) - 0.5)).toBeLessThan(0.05);
  });

  it("identical genomes are counted as duplicates and evaluated once", () => {
    const calls = { n: 0 };
    // No mutation and no crossover: every offspring is a copy of a parent.
    const r = evolve([seeds[0]], fakeEvaluator(calls), 1000, {
      generations: 3,
      seed: 1,
      config: { population: 6, mutationRate: 0, crossoverRate: 0 },
    });
    // One distinct genome per generation: one fitness evaluation and one candidate backtest each.
    expect(calls.n).toBe(6);
    expect(r.state.n_evaluated).toBe(3);
    for (const g of r.generations) expect(g.n_candidate_backtests).toBe(1);
    expect(r.state.n_duplicates).toBeGreaterThanOrEqual(3 * 5);
    for (const g of r.generations) expect(new Set(g.individuals.map((x) => x.fitness)).size).toBe(1);
  });

  it("keeps lineage: parents exist in the previous generation, elites first, operators named", () => {
    const calls = { n: 0 };
    const r = evolve(seeds, fakeEvaluator(calls), 1000, { generations: 4, seed: 8, config: { population: 12 } });
    expect(
      r.generations[0].individuals.slice(0, seeds.length).every((x) => x.operator === "seed" && x.parents.length === 0),
    ).toBe(true);
    for (let g = 1; g < r.generations.length; g++) {
      const prev = new Map(r.generations[g - 1].individuals.map((x) => [x.id, x]));
      const cur = r.generations[g].individuals;
      expect(cur.slice(0, 2).map((x) => x.operator)).toEqual(["elite", "elite"]);
      const bestPrev = Math.max(...[...prev.values()].map((x) => x.fitness));
      expect(prev.get(cur[0].parents[0])?.fitness).toBe(bestPrev);
      for (const x of cur) {
        expect(x.generation).toBe(g);
        for (const p of x.parents) expect(prev.has(p)).toBe(true);
        expect(x.parents.length).toBe(x.operator === "crossover" ? 2 : 1);
      }
    }
  });
});

describe("evolve: fitness", () => {
  it("rotates the evaluation window between generations", () => {
    const calls = { n: 0 };
    const r = evolve(seeds, fakeEvaluator(calls), 2520, { generations: 4, seed: 4, config: { population: 4 } });
    const starts = new Set(r.generations.map((g) => g.window.start));
    expect(starts.size).toBeGreaterThan(1);
    for (const g of r.generations) expect(g.window.end - g.window.start).toBe(1260);
  });

  it("scales the grade by trades / minimum trades below the minimum and reports the DSR of the top three", () => {
    const w = { start: 0, end: universe[0].close.length };
    const plain = evaluateGenome(seeds[1], universe, w, { minTrades: 0 });
    const strict = evaluateGenome(seeds[1], universe, w, { minTrades: 1000 });
    expect(plain.metrics.num_trades).toBeGreaterThan(0);
    expect(plain.fitness).toBe(plain.metrics.grade_score);
    expect(strict.fitness).toBeCloseTo(
      Math.round(plain.metrics.grade_score * (plain.metrics.num_trades / 1000) * 10) / 10,
      6,
    );
    expect(strict.fitness).toBeGreaterThanOrEqual(0);
    expect(plain.fitness).toBeLessThanOrEqual(100);
    const r = evolve(seeds, realEval, universe[0].close.length, { generations: 1, seed: 2, config: { population: 6 } });
    const withDsr = r.generations[0].individuals.filter((x) => x.metrics.dsr !== null);
    expect(withDsr.length).toBeLessThanOrEqual(3);
    for (const x of withDsr) expect(x.metrics.dsr).toBeGreaterThanOrEqual(0);
  });
});

describe("lifecycle gates", () => {
  it("CANDIDATE → SHADOW needs PF > 1.5 and WR > 45 % strictly", () => {
    expect(shadowGate({ profitFactor: 1.5, winRatePct: 60, numTrades: 20 }).map((f) => f.gate)).toEqual([
      "shadowMinProfitFactor",
    ]);
    expect(shadowGate({ profitFactor: 1.51, winRatePct: 45, numTrades: 20 }).map((f) => f.gate)).toEqual([
      "shadowMinWinRatePct",
    ]);
    expect(shadowGate({ profitFactor: 1.51, winRatePct: 45.1, numTrades: 20 })).toEqual([]);
    expect(shadowGate({ profitFactor: Infinity, winRatePct: 100, numTrades: 20 })).toEqual([]);
    expect(shadowGate({ profitFactor: NaN, winRatePct: NaN, numTrades: 0 }).length).toBe(3);
  });

  it("SHADOW → LIVE needs fitness ≥ 70 (70.0 passes) after 7 days of new bars", () => {
    expect(liveGate({ fitness: 70, shadowDaysOfBars: 7 })).toEqual([]);
    expect(liveGate({ fitness: 69.9, shadowDaysOfBars: 7 }).map((f) => f.gate)).toEqual(["liveMinFitness"]);
    expect(liveGate({ fitness: 90, shadowDaysOfBars: 6.9 }).map((f) => f.gate)).toEqual(["shadowMinDays"]);
    expect(
      liveGate({ fitness: 75, shadowDaysOfBars: 7 }, { ...DEFAULT_GATES, liveMinFitness: 80 })[0].message,
    ).toContain("at least 80");
  });
});

describe("lineage", () => {
  it("draws the best individual's family tree back to the seeds through its recorded parents", () => {
    const calls = { n: 0 };
    const r = evolve(seeds, fakeEvaluator(calls), 1000, { generations: 4, seed: 21, config: { population: 10 } });
    const last = r.generations[3].individuals[5];
    const tree = familyTree(r.generations, last.id, 10);
    expect(tree).toMatchObject({ id: last.id, generation: 3, operator: last.operator, fitness: last.fitness });
    expect(tree?.parents.map((p) => p.id)).toEqual(last.parents);
    // Every path ends in generation 0, and every node's parents sit one generation earlier.
    const walk = (n: NonNullable<typeof tree>): void => {
      if (n.generation === 0) expect(n.parents).toEqual([]);
      else {
        expect(n.parents.length).toBeGreaterThan(0);
        for (const p of n.parents) {
          expect(p.generation).toBe(n.generation - 1);
          walk(p);
        }
      }
    };
    walk(tree!);
    expect(familyTree(r.generations, last.id, 1)?.parents.every((p) => p.parents.length === 0)).toBe(true);
    expect(familyTree(r.generations, "nobody")).toBeNull();
  });
});

describe("candidate backtest", () => {
  const DAY = 86_400_000;

  it("its window is the bars of the last N days (hand-counted on a calendar with gaps)", () => {
    // Days 0..9 and then 20..29: the last 10 days from day 29 start at day 19 → first bar day 20.
    const ts = Float64Array.from(
      [...Array(10).keys(), ...Array.from({ length: 10 }, (_, i) => 20 + i)],
      (d) => d * DAY,
    );
    expect(candidateWindow(ts, 10)).toEqual({ start: 10, end: 20 });
    // 9 days back from day 29 is day 20 itself (inclusive).
    expect(candidateWindow(ts, 9)).toEqual({ start: 10, end: 20 });
    expect(candidateWindow(ts, 8)).toEqual({ start: 11, end: 20 });
    expect(candidateWindow(ts, 1000)).toEqual({ start: 0, end: 20 });
    expect(candidateWindow(new Float64Array(0), 90)).toEqual({ start: 0, end: 0 });
  });

  /** Figures by window: the candidate window (given) gets `cand`, every other window `evo`. */
  function byWindow(
    cw: { start: number; end: number },
    cand: Evaluation["gate"],
    evo: Evaluation["gate"],
    seen: { start: number; end: number }[],
  ): Evaluator {
    const base = fakeEvaluator({ n: 0 });
    return (p, w) => {
      seen.push(w);
      const e = base(p, w);
      const g = w.start === cw.start && w.end === cw.end ? cand : evo;
      return {
        ...e,
        gate: g,
        metrics: { ...e.metrics, num_trades: g.numTrades, profit_factor: g.profitFactor, win_rate_pct: g.winRatePct },
      };
    };
  }
  const good = { profitFactor: 2, winRatePct: 60, numTrades: 20 };
  const poor = { profitFactor: 1.2, winRatePct: 40, numTrades: 20 };
  const none = { profitFactor: NaN, winRatePct: NaN, numTrades: 0 };

  it("the CANDIDATE → SHADOW gate is judged on the candidate backtest, not on the evolution window", () => {
    const cw = { start: 900, end: 1000 };
    const cfg = { ...DEFAULT_EVOLVE_CONFIG, population: 6, candidateWindow: cw };
    const seen: { start: number; end: number }[] = [];
    // Great on the evolution window, poor on the last 90 days: enters CANDIDATE, never SHADOW.
    const a = runGeneration(initialState(seeds, 3), byWindow(cw, poor, good, seen), 1000, cfg).report;
    expect(a.individuals.every((x) => x.state === "CANDIDATE")).toBe(true);
    expect(a.promoted).toEqual([]);
    expect(a.individuals[0].candidate?.profit_factor).toBe(1.2);
    expect(a.individuals[0].metrics.profit_factor).toBe(2);
    expect(seen.some((w) => w.start === 900 && w.end === 1000)).toBe(true);
    // Poor on the evolution window, good on the candidate backtest: promoted to SHADOW.
    const b = runGeneration(initialState(seeds, 3), byWindow(cw, good, poor, []), 1000, cfg).report;
    expect(b.individuals.every((x) => x.state === "SHADOW")).toBe(true);
    expect(b.promoted).toHaveLength(6);
    expect(b.candidate_window).toEqual(cw);
  });

  it("an individual whose candidate backtest closes no trade does not enter CANDIDATE (state null)", () => {
    const cw = { start: 910, end: 1000 };
    const cfg = { ...DEFAULT_EVOLVE_CONFIG, population: 4, candidateWindow: cw };
    const r = runGeneration(initialState(seeds, 9), byWindow(cw, none, good, []), 1000, cfg).report;
    expect(r.individuals.map((x) => x.state)).toEqual([null, null, null, null]);
    expect(r.promoted).toEqual([]);
    // The gate is per workspace: with no trades required, the same individuals enter CANDIDATE.
    const lax = { ...cfg, gates: { ...DEFAULT_GATES, candidateMinTrades: 0 } };
    const r2 = runGeneration(initialState(seeds, 9), byWindow(cw, none, good, []), 1000, lax).report;
    expect(r2.individuals.map((x) => x.state)).toEqual(["CANDIDATE", "CANDIDATE", "CANDIDATE", "CANDIDATE"]);
    expect(candidateGate({ numTrades: 0 })[0].message).toContain("90-day candidate backtest");
    expect(candidateGate({ numTrades: 1 })).toEqual([]);
  });

  it("without a window from bar times it backtests the last candidateDays bars; SHADOW elites skip it", () => {
    const seen: { start: number; end: number }[] = [];
    const cfg = { ...DEFAULT_EVOLVE_CONFIG, population: 5 };
    const cw = { start: 910, end: 1000 };
    const g0 = runGeneration(initialState(seeds, 4), byWindow(cw, good, poor, seen), 1000, cfg);
    expect(g0.report.candidate_window).toEqual(cw);
    expect(g0.report.individuals.every((x) => x.state === "SHADOW")).toBe(true);
    const g1 = runGeneration(g0.state, byWindow(cw, good, poor, []), 1000, cfg).report;
    const elites = g1.individuals.filter((x) => x.operator === "elite");
    expect(elites).toHaveLength(2);
    for (const e of elites) {
      expect(e.state).toBe("SHADOW");
      expect(e.candidate).toBeNull();
    }
    expect(g1.promoted).not.toContain(elites[0].id);
  });

  it("on real bars: every SHADOW individual passes the gate on its candidate backtest of the last 90 days", () => {
    const ts = universe[0].timestampsMs;
    const cw = candidateWindow(ts, 90);
    expect(ts[cw.end - 1] - ts[cw.start]).toBeLessThanOrEqual(90 * DAY);
    expect(ts[cw.end - 1] - ts[cw.start - 1]).toBeGreaterThan(90 * DAY);
    const lax = { ...DEFAULT_GATES, shadowMinTrades: 1, shadowMinProfitFactor: 1, shadowMinWinRatePct: 30 };
    const r = evolve(seeds, realEval, ts.length, {
      generations: 2,
      seed: 5,
      config: { population: 8, gates: lax, candidateWindow: cw },
    });
    for (const g of r.generations)
      for (const x of g.individuals) {
        if (x.state === null) expect(x.candidate?.num_trades).toBe(0);
        if (x.candidate) {
          expect(x.candidate.window_start_ms).toBe(ts[cw.start]);
          expect(x.candidate.window_end_ms).toBe(ts[cw.end - 1]);
        }
        if (g.promoted.includes(x.id)) {
          const c = x.candidate!;
          const pf = c.profit_factor ?? Infinity;
          expect(shadowGate({ profitFactor: pf, winRatePct: c.win_rate_pct!, numTrades: c.num_trades }, lax)).toEqual(
            [],
          );
        }
      }
  });
});
