/**
 * The evolve mode: breeds a population of rule plans over bars and returns the result object of
 * the CLI's `--json` (and of the run kind `evolve`). Pure; see lib/evolve/README.md.
 */
import { alignSeries } from "@/lib/data/align";
import type { BarSeries } from "@/lib/data/bars";
import {
  candidateWindow,
  DEFAULT_EVOLVE_CONFIG,
  defaultSeedPlans,
  evaluateGenome,
  initialState,
  runGeneration,
  type GenerationReport,
  type Individual,
} from "@/lib/evolve";
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
  /** The candidate backtest's window (the most recent `candidateDays` days of bars). */
  candidate_window: { from_ms: number; to_ms: number; bars: number };
}

export interface EvolveResult {
  generations: EvolveGeneration[];
  n_evaluated: number;
  n_duplicates: number;
  best: { id: string; code: string; fitness: number; genome: Individual["genome"]; metrics: Individual["metrics"] };
  synthetic?: boolean;
  /** Run kind only: promoted individuals of the last generation filed as SHADOW strategies. */
  adopted?: { individual: string; strategy_id: string }[];
}

/** The series cut to the bars every symbol has (the portfolio backtest needs one calendar). */
export function commonCalendar(series: readonly BarSeries[]): BarSeries[] {
  if (series.length <= 1) return [...series];
  const a = alignSeries([...series], { calendar: "intersection" });
  return a.symbols.map((symbol, k) => ({
    symbol,
    timestampsMs: a.timestampsMs,
    open: a.open[k],
    high: a.high[k],
    low: a.low[k],
    close: a.close[k],
    volume: a.volume[k],
  }));
}

/** A generation as the result shows it (window as times). */
export function genView(g: GenerationReport, ts: Float64Array): EvolveGeneration {
  return {
    n: g.n,
    individuals: g.individuals,
    top_fitness: g.top_fitness,
    promoted: g.promoted,
    n_evaluated: g.n_evaluated,
    n_duplicates: g.n_duplicates,
    window: { from_ms: ts[g.window.start], to_ms: ts[g.window.end - 1], bars: g.window.end - g.window.start },
    candidate_window: {
      from_ms: ts[g.candidate_window.start],
      to_ms: ts[g.candidate_window.end - 1],
      bars: g.candidate_window.end - g.candidate_window.start,
    },
  };
}

export interface EvolveHooks {
  /** Called after each generation (progress, cancellation: a throw stops the run). */
  onGeneration?: (g: EvolveGeneration, done: number, total: number) => void | Promise<void>;
}

/** Runs the evolution described by `spec` on aligned bars (one symbol or a universe). */
export async function runEvolve(
  universe: readonly BarSeries[],
  spec: EvolveSpec,
  gates: LifecycleGates = DEFAULT_GATES,
  hooks: EvolveHooks = {},
): Promise<EvolveResult> {
  if (universe.length === 0) throw new RangeError("evolution needs bars of at least one symbol");
  const seeds = spec.seed_plans.length ? spec.seed_plans : defaultSeedPlans();
  const n = universe[0].close.length;
  const ts = universe[0].timestampsMs;
  const cfg = {
    ...DEFAULT_EVOLVE_CONFIG,
    population: spec.population,
    mutationRate: spec.mutation_rate,
    crossoverRate: spec.crossover_rate,
    gates,
    candidateWindow: candidateWindow(ts, gates.candidateDays),
  };
  const evaluate = (p: Individual["genome"], w: { start: number; end: number }) =>
    evaluateGenome(p, universe, w, { minTrades: spec.min_trades });
  let state = initialState(seeds, spec.seed);
  const generations: EvolveGeneration[] = [];
  let best: Individual | null = null;
  for (let g = 0; g < spec.generations; g++) {
    const r = runGeneration(state, evaluate, n, cfg);
    state = r.state;
    const view = genView(r.report, ts);
    generations.push(view);
    for (const x of view.individuals) if (!best || x.fitness > best.fitness) best = x;
    await hooks.onGeneration?.(view, g + 1, spec.generations);
  }
  const b = best as Individual;
  return {
    generations,
    n_evaluated: state.n_evaluated,
    n_duplicates: state.n_duplicates,
    best: { id: b.id, code: generateCode(b.genome), fitness: b.fitness, genome: b.genome, metrics: b.metrics },
  };
}
