/**
 * The evolve mode: breeds a population of rule plans over bars and returns the result object of
 * the CLI's `--json` (and of the run kind `evolve`). Pure; see lib/evolve/README.md.
 */
import type { BarSeries } from "@/lib/data/bars";
import { DEFAULT_EVOLVE_CONFIG, defaultSeedPlans, evaluateGenome, evolve, type GenerationReport, type Individual } from "@/lib/evolve";
import type { LifecycleGates } from "@/lib/lifecycle/gates";
import { DEFAULT_GATES } from "@/lib/lifecycle/gates";
import { generateCode } from "@/lib/rules";
import type { EvolveSpec } from "@/lib/schemas/evolve";

export interface EvolveGeneration {
  n: number;
  individuals: Individual[];
  top_fitness: number;
  promoted: string[];
  n_evaluated: number;
  n_duplicates: number;
  window: { from_ms: number; to_ms: number; bars: number };
}

export interface EvolveResult {
  generations: EvolveGeneration[];
  n_evaluated: number;
  n_duplicates: number;
  best: { id: string; code: string; fitness: number; genome: Individual["genome"]; metrics: Individual["metrics"] };
  synthetic?: boolean;
}

function genView(g: GenerationReport, ts: Float64Array): EvolveGeneration {
  return {
    n: g.n,
    individuals: g.individuals,
    top_fitness: g.top_fitness,
    promoted: g.promoted,
    n_evaluated: g.n_evaluated,
    n_duplicates: g.n_duplicates,
    window: { from_ms: ts[g.window.start], to_ms: ts[g.window.end - 1], bars: g.window.end - g.window.start },
  };
}

/** Runs the evolution described by `spec` on aligned bars (one symbol or a universe). */
export function runEvolve(universe: readonly BarSeries[], spec: EvolveSpec, gates: LifecycleGates = DEFAULT_GATES): EvolveResult {
  if (universe.length === 0) throw new RangeError("evolution needs bars of at least one symbol");
  const seeds = spec.seed_plans.length ? spec.seed_plans : defaultSeedPlans();
  const n = universe[0].close.length;
  const r = evolve(seeds, (p, w) => evaluateGenome(p, universe, w, { minTrades: spec.min_trades }), n, {
    generations: spec.generations,
    seed: spec.seed,
    config: {
      ...DEFAULT_EVOLVE_CONFIG,
      population: spec.population,
      mutationRate: spec.mutation_rate,
      crossoverRate: spec.crossover_rate,
      gates: { ...gates, shadowMinTrades: gates.shadowMinTrades },
    },
  });
  return {
    generations: r.generations.map((g) => genView(g, universe[0].timestampsMs)),
    n_evaluated: r.state.n_evaluated,
    n_duplicates: r.state.n_duplicates,
    best: { id: r.best.id, code: generateCode(r.best.genome), fitness: r.best.fitness, genome: r.best.genome, metrics: r.best.metrics },
  };
}
