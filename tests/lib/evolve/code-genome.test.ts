/**
 * SDK code as a seed: its declared int/float params are the genes (mutation inside the declared
 * ranges and on a declared step grid, crossover per param), the code never changes; an evolution
 * seeded with code scores each individual by running the code with its params, and the seed's
 * fitness equals an independent evaluation of the code's own signals.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "@/lib/data/rng";
import { generateDemoSeries } from "@/lib/data/demo-universe";
import { resolveUniverse } from "@/lib/data/universes";
import {
  codeGenome,
  crossover,
  DEFAULT_EVOLVE_CONFIG,
  defaultSeedPlans,
  evaluateGenome,
  genesOf,
  genomeCode,
  initialState,
  isCodeGenome,
  mutate,
  runGeneration,
  runGenerationAsync,
  withinRanges,
  type CodeGenome,
} from "@/lib/evolve";
import { runEvolve } from "@/lib/modes/evolve";
import { toStrategyInput } from "@/lib/sdk/bars";
import { evolveSchema } from "@/lib/schemas/evolve";
import { EXAMPLES } from "@/lib/sdk/examples";
import { localRunner } from "@/tests/helpers/local-runner";

const SOURCE = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "Band reversion",
  params: {
    window: { type: "int", min: 5, max: 60, default: 20 },
    width: { type: "float", min: 0.5, max: 3, step: 0.25, default: 2 },
    exitAtMean: { type: "boolean", default: true },
  },
  signals(bars, p, ta) {
    const mean = ta.sma(bars.close, p.window);
    const sd = ta.rollingStd(bars.close, p.window);
    const n = bars.close.length;
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (bars.close[i] < mean[i] - p.width * sd[i]) entries[i] = 1;
      if (bars.close[i] > (p.exitAtMean ? mean[i] : mean[i] + sd[i])) exits[i] = 1;
    }
    return { entries, exits };
  },
});
`;

const seed: CodeGenome = codeGenome("Band reversion", SOURCE, {
  window: { type: "int", min: 5, max: 60, default: 20 },
  width: { type: "float", min: 0.5, max: 3, step: 0.25, default: 2 },
  exitAtMean: { type: "boolean", default: true },
});

describe("code genome", () => {
  it("genes are the declared int/float params with their declared ranges; the seed runs with the defaults", () => {
    expect(seed.params).toEqual({ window: 20, width: 2, exitAtMean: true });
    expect(genesOf(seed)).toEqual([
      { path: ["params", "window"], min: 5, max: 60, int: true, step: undefined },
      { path: ["params", "width"], min: 0.5, max: 3, int: false, step: 0.25 },
    ]);
    expect(genomeCode(seed)).toBe(SOURCE);
  });

  it("mutation stays inside the declared ranges (ints whole, floats on the 0.25 grid), about 30 % of genes; code unchanged", () => {
    const genes = genesOf(seed);
    const rng = new Rng(17);
    let g = seed;
    let chosen = 0;
    const trials = 4000;
    const widths = new Set<number>();
    for (let i = 0; i < trials; i++) {
      const m = mutate(g, genes, 0.3, rng);
      chosen += m.mutated;
      expect(withinRanges(m.plan, genes)).toBe(true);
      expect(Number.isInteger(m.plan.params.window)).toBe(true);
      const w = m.plan.params.width as number;
      expect(Math.abs((w - 0.5) / 0.25 - Math.round((w - 0.5) / 0.25))).toBeLessThan(1e-9);
      widths.add(w);
      expect(m.plan.source).toBe(SOURCE);
      expect(m.plan.params.exitAtMean).toBe(true);
      g = m.plan; // a random walk reaches the ends of the ranges
    }
    // Binomial sd at n = 8000, p = 0.3 is 0.0051: ±0.02 is about four sd.
    expect(Math.abs(chosen / (trials * genes.length) - 0.3)).toBeLessThan(0.02);
    expect(widths.has(0.5) && widths.has(3)).toBe(true);
    expect(widths.size).toBe(11); // 0.5, 0.75, …, 3
  });

  it("crossover takes each param from one parent or the other (even odds)", () => {
    const a = { ...seed, params: { ...seed.params, window: 10, width: 1 } };
    const b = { ...seed, params: { ...seed.params, window: 50, width: 2.5 } };
    const rng = new Rng(3);
    let fromA = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const c = crossover(a, b, genesOf(seed), rng);
      expect([10, 50]).toContain(c.params.window);
      expect([1, 2.5]).toContain(c.params.width);
      expect(c.source).toBe(SOURCE);
      if (c.params.window === 10) fromA += 1;
    }
    expect(Math.abs(fromA / n - 0.5)).toBeLessThan(0.05);
  });

  it("the two-pass asynchronous generation equals the synchronous one (same seed, same offspring, same scores)", async () => {
    const symbol = resolveUniverse("demo-1", { seed: 42 })[0];
    const universe = [generateDemoSeries(symbol, { seed: 42, years: 3 }).series];
    const ev = (p: Parameters<typeof evaluateGenome>[0], w: { start: number; end: number }) =>
      evaluateGenome(p, universe, w, { minTrades: 10 });
    const cfg = { ...DEFAULT_EVOLVE_CONFIG, population: 8 };
    let s1 = initialState(defaultSeedPlans(), 4);
    let s2 = s1;
    for (let g = 0; g < 3; g++) {
      const a = runGeneration(s1, ev, universe[0].close.length, cfg);
      const b = await runGenerationAsync(s2, async (p, w) => ev(p, w), universe[0].close.length, cfg);
      expect(b.report).toEqual(a.report);
      s1 = a.state;
      s2 = b.state;
    }
  });

  it("an evolution seeded with code scores each individual by running the code with its params", async () => {
    const symbol = resolveUniverse("demo-1", { seed: 7 })[0];
    const universe = [generateDemoSeries(symbol, { seed: 7, years: 4 }).series];
    const spec = evolveSchema.parse({ population: 6, generations: 2, seed: 9 });
    const r = await runEvolve(universe, spec, undefined, { codeSeeds: [seed], runner: localRunner });
    const all = r.generations.flatMap((g) => g.individuals);
    expect(all.every((x) => isCodeGenome(x.genome) && x.genome.source === SOURCE)).toBe(true);
    expect(all.every((x) => withinRanges(x.genome, genesOf(seed)))).toBe(true);
    expect(new Set(all.map((x) => JSON.stringify((x.genome as CodeGenome).params))).size).toBeGreaterThan(2);
    expect(r.best.code).toBe(SOURCE);
    // Independent check of the seed's score: its signals from the runner with the defaults.
    const g0 = r.generations[0];
    const signals = await localRunner.signals(
      SOURCE,
      universe.map((s) => toStrategyInput(s)),
      seed.params,
    );
    const ts = universe[0].timestampsMs;
    const start = ts.indexOf(g0.window.from_ms);
    const direct = evaluateGenome(
      seed,
      universe,
      { start, end: start + g0.window.bars },
      {
        minTrades: spec.min_trades,
        codeSignals: () => signals,
      },
    );
    expect(g0.individuals[0].operator).toBe("seed");
    expect(g0.individuals[0].fitness).toBe(direct.fitness);
    expect(g0.individuals[0].metrics.num_trades).toBe(direct.metrics.num_trades);
    // A rule seed and a code seed breed side by side; crossover stays within one shape.
    const mixed = await runEvolve(
      universe,
      evolveSchema.parse({ population: 6, generations: 2, seed: 9, seed_plans: [defaultSeedPlans()[1]] }),
      undefined,
      { codeSeeds: [seed], runner: localRunner },
    );
    for (const x of mixed.generations[1].individuals.filter((i) => i.operator === "crossover")) {
      const kinds = x.parents.map((id) =>
        isCodeGenome(mixed.generations[0].individuals.find((y) => y.id === id)!.genome),
      );
      expect(new Set(kinds).size).toBe(1);
    }
    expect(EXAMPLES["sma-cross"].source).toContain("defineStrategy");
  });
});
