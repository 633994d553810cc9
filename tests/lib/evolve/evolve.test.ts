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
  withinRanges,
  type Evaluation,
  type Evaluator,
} from "@/lib/evolve";
import { DEFAULT_GATES, liveGate, shadowGate } from "@/lib/lifecycle/gates";
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
    expect(calls.n).toBe(3); // one distinct genome per generation
    expect(r.state.n_evaluated).toBe(3);
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
