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
  genomeCode,
  genomeKey,
  initialState,
  isCodeGenome,
  runGenerationAsync,
  type CodeGenome,
  type Genome,
  type GenerationReport,
  type Individual,
} from "@/lib/evolve";
import type { LifecycleGates } from "@/lib/lifecycle/gates";
import { DEFAULT_GATES } from "@/lib/lifecycle/gates";
import type { SignalArrays } from "@/lib/engine/signals";
import { toStrategyInput } from "@/lib/sdk/bars";
import type { StrategyRunner } from "./runner";
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
  /** Seeds in SDK code (their declared params evolve), bred alongside `spec.seed_plans`. */
  codeSeeds?: CodeGenome[];
  /** Runs code seeds' signals (the sandbox); needed with `codeSeeds`. */
  runner?: StrategyRunner;
}

/** Runs the evolution described by `spec` on aligned bars (one symbol or a universe). */
export async function runEvolve(
  universe: readonly BarSeries[],
  spec: EvolveSpec,
  gates: LifecycleGates = DEFAULT_GATES,
  hooks: EvolveHooks = {},
): Promise<EvolveResult> {
  if (universe.length === 0) throw new RangeError("evolution needs bars of at least one symbol");
  const code = hooks.codeSeeds ?? [];
  if (code.length && !hooks.runner) throw new RangeError("code seeds need a strategy runner");
  const seeds: Genome[] = spec.seed_plans.length || code.length ? [...spec.seed_plans, ...code] : defaultSeedPlans();
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
  // A code genome's signals: its code run once with its params over the whole history.
  const inputs = universe.map((s) => toStrategyInput(s));
  const signalCache = new Map<string, SignalArrays[]>();
  const codeSignals = (g: CodeGenome) => {
    const s = signalCache.get(genomeKey(g));
    if (!s) throw new Error("code signals missing");
    return s;
  };
  const evaluate = async (p: Genome, w: { start: number; end: number }) => {
    if (isCodeGenome(p) && !signalCache.has(genomeKey(p)))
      signalCache.set(genomeKey(p), await hooks.runner!.signals(p.source, inputs, p.params));
    return evaluateGenome(p, universe, w, { minTrades: spec.min_trades, codeSignals });
  };
  let state = initialState(seeds, spec.seed);
  const generations: EvolveGeneration[] = [];
  let best: Individual | null = null;
  for (let g = 0; g < spec.generations; g++) {
    const r = await runGenerationAsync(state, evaluate, n, cfg);
    signalCache.clear();
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
    best: { id: b.id, code: genomeCode(b.genome), fitness: b.fitness, genome: b.genome, metrics: b.metrics },
  };
}
