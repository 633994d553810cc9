/**
 * The evolutionary search: a population of rule plans that breeds one generation at a time.
 * Pure and deterministic: all randomness comes from a seeded generator whose state is part of
 * the serializable {@link EvolveState}, so a scheduled job can run one generation, store the
 * state and continue later with exactly the same stream.
 *
 * Generation 0 holds the seed plans (operator "seed") and mutations of them round-robin until the
 * population is full. Each later generation keeps the `elitism` fittest (operator "elite",
 * re-scored on the new window), then fills the population with offspring: with probability
 * `crossoverRate` a uniform crossover of two tournament winners of the same shape (operator
 * "crossover", then mutated like every offspring), otherwise a mutation of one tournament winner
 * (operator "mutation"). A child identical to one already in the generation is bred again up to
 * `duplicateRetries` times; every identical genome met is counted in `n_duplicates`, and one that
 * stays is not evaluated again (it shares the first copy's evaluation).
 */
import { hashSeed, Rng, type RngState } from "../data/rng";
import { deflatedSharpeRatio } from "../metrics/overfitting";
import { candidateGate, DEFAULT_GATES, shadowGate, type LifecycleGates } from "../lifecycle/gates";
import { transition, type StrategyState } from "../lifecycle/strategy";
import { drawWindow, type EvalMetrics, type EvalWindow, type Evaluation } from "./fitness";
import { crossover, genesOf, genomeKey, mutate, shapeKey, type Gene, type Genome } from "./genome";

export type EvolveOperator = "seed" | "elite" | "mutation" | "crossover";

export interface Individual {
  id: string;
  parents: string[];
  operator: EvolveOperator;
  generation: number;
  genome: Genome;
  fitness: number;
  metrics: EvalMetrics & { dsr: number | null };
  /**
   * The candidate backtest (last `gates.candidateDays` days of bars) this individual took in this
   * generation; null for a SHADOW (or later) elite, which is past it.
   */
  candidate: EvalMetrics | null;
  /** Lifecycle state; null while it has not passed the candidate backtest. */
  state: StrategyState | null;
}

export interface GenerationReport {
  n: number;
  individuals: Individual[];
  top_fitness: number;
  /** Ids that moved CANDIDATE → SHADOW in this generation. */
  promoted: string[];
  n_evaluated: number;
  /** Candidate backtests run (one per distinct genome not yet in SHADOW). */
  n_candidate_backtests: number;
  candidate_window: EvalWindow;
  n_duplicates: number;
  /** Genes chosen for mutation / genes of mutated offspring, and offspring made by crossover. */
  n_genes_mutated: number;
  n_genes_offered: number;
  n_crossover: number;
  n_offspring: number;
  window: EvalWindow;
}

export interface EvolveConfig {
  population: number;
  mutationRate: number;
  crossoverRate: number;
  elitism: number;
  tournamentSize: number;
  duplicateRetries: number;
  /** Share of the bars in each generation's evaluation window. */
  windowFraction: number;
  gates: LifecycleGates;
  /**
   * The candidate backtest's window (the caller derives it from bar times with
   * `candidateWindow(times, gates.candidateDays)`); without it, the last `candidateDays` bars
   * (daily bars).
   */
  candidateWindow?: EvalWindow;
}

export const DEFAULT_EVOLVE_CONFIG: EvolveConfig = {
  population: 20,
  mutationRate: 0.3,
  crossoverRate: 0.4,
  elitism: 2,
  tournamentSize: 3,
  duplicateRetries: 3,
  windowFraction: 0.5,
  gates: DEFAULT_GATES,
};

/** Everything needed to breed the next generation (plain JSON). */
export interface EvolveState {
  seed: number;
  rng: RngState;
  seeds: Genome[];
  generation: number;
  population: Individual[];
  n_evaluated: number;
  n_duplicates: number;
  /** Per-period Sharpe of every evaluation so far (for the deflated Sharpe ratio). */
  sharpes: number[];
}

/** Scores one genome on a window (the real one is `evaluateGenome` bound to a universe). */
export type Evaluator = (plan: Genome, window: EvalWindow) => Evaluation;

function shapeGenes(seeds: Genome[]): Map<string, Gene[]> {
  const m = new Map<string, Gene[]>();
  for (const s of seeds) {
    const k = shapeKey(s);
    if (!m.has(k)) m.set(k, genesOf(s));
  }
  return m;
}

export function initialState(seeds: Genome[], seed: number): EvolveState {
  if (seeds.length === 0) throw new RangeError("evolution needs at least one seed strategy");
  return {
    seed,
    rng: { s: hashSeed(seed, "evolve"), spare: Number.NaN },
    seeds,
    generation: -1,
    population: [],
    n_evaluated: 0,
    n_duplicates: 0,
    sharpes: [],
  };
}

function tournament(pop: Individual[], size: number, rng: Rng): Individual {
  let best = pop[rng.int(pop.length)];
  for (let i = 1; i < size; i++) {
    const c = pop[rng.int(pop.length)];
    if (c.fitness > best.fitness) best = c;
  }
  return best;
}

interface Draft {
  parents: string[];
  operator: EvolveOperator;
  genome: Genome;
  /** null: new, not yet through the candidate backtest. */
  state: StrategyState | null;
}

/**
 * Breeds and scores the next generation. Returns the new state and the generation's report;
 * the state passed in is not changed. `nBars` is the number of bars windows are drawn from.
 */
export function runGeneration(
  prev: EvolveState,
  evaluate: Evaluator,
  nBars: number,
  cfg: EvolveConfig = DEFAULT_EVOLVE_CONFIG,
): { state: EvolveState; report: GenerationReport } {
  const rng = new Rng({ ...prev.rng });
  const gen = prev.generation + 1;
  const genes = shapeGenes(prev.seeds);
  const genesFor = (p: Genome) => genes.get(shapeKey(p)) ?? genesOf(p);
  const drafts: Draft[] = [];
  const seen = new Set<string>();
  let nDup = 0;
  let genesMutated = 0;
  let genesOffered = 0;
  let nCrossover = 0;
  let nOffspring = 0;

  const admit = (d: Draft, force: boolean): boolean => {
    const key = genomeKey(d.genome);
    if (seen.has(key)) {
      nDup += 1;
      if (!force) return false;
    }
    seen.add(key);
    drafts.push(d);
    return true;
  };

  const breed = (pool: Individual[]): Draft => {
    if (rng.uniform() < cfg.crossoverRate) {
      const a = tournament(pool, cfg.tournamentSize, rng);
      const sk = shapeKey(a.genome);
      const same = pool.filter((x) => shapeKey(x.genome) === sk);
      const b = tournament(same, cfg.tournamentSize, rng);
      const g = genesFor(a.genome);
      const child = crossover(a.genome, b.genome, g, rng);
      const m = mutate(child, g, cfg.mutationRate, rng);
      genesMutated += m.mutated;
      genesOffered += g.length;
      return { parents: [a.id, b.id], operator: "crossover", genome: m.plan, state: null };
    }
    const a = tournament(pool, cfg.tournamentSize, rng);
    const g = genesFor(a.genome);
    const m = mutate(a.genome, g, cfg.mutationRate, rng);
    genesMutated += m.mutated;
    genesOffered += g.length;
    return { parents: [a.id], operator: "mutation", genome: m.plan, state: null };
  };

  if (gen === 0) {
    prev.seeds.forEach((s) => admit({ parents: [], operator: "seed", genome: s, state: null }, true));
    let k = 0;
    let attempts = 0;
    while (drafts.length < cfg.population) {
      const s = prev.seeds[k % prev.seeds.length];
      const g = genesFor(s);
      const m = mutate(s, g, cfg.mutationRate, rng);
      genesMutated += m.mutated;
      genesOffered += g.length;
      nOffspring += 1;
      attempts += 1;
      const ok = admit(
        { parents: [`g0-${k % prev.seeds.length}`], operator: "mutation", genome: m.plan, state: null },
        attempts > cfg.duplicateRetries,
      );
      if (ok) attempts = 0;
      k += 1;
    }
  } else {
    const ranked = [...prev.population].sort((x, y) => y.fitness - x.fitness || (x.id < y.id ? -1 : 1));
    for (const e of ranked.slice(0, Math.min(cfg.elitism, cfg.population)))
      admit({ parents: [e.id], operator: "elite", genome: e.genome, state: e.state }, true);
    while (drafts.length < cfg.population) {
      let attempts = 0;
      for (;;) {
        const d = breed(prev.population);
        nOffspring += 1;
        if (d.operator === "crossover") nCrossover += 1;
        attempts += 1;
        if (admit(d, attempts > cfg.duplicateRetries)) break;
      }
    }
  }

  // Score: one window for the whole generation; identical genomes share one evaluation.
  const window = drawWindow(nBars, cfg.windowFraction, new Rng(hashSeed(prev.seed, `window:${gen}`)));
  const cache = new Map<string, Evaluation>();
  let nEval = 0;
  const sharpes = [...prev.sharpes];
  const evals = drafts.map((d) => {
    const key = genomeKey(d.genome);
    let e = cache.get(key);
    if (!e) {
      e = evaluate(d.genome, window);
      cache.set(key, e);
      nEval += 1;
      if (Number.isFinite(e.returnsShape.sharpe)) sharpes.push(e.returnsShape.sharpe);
    }
    return e;
  });
  const nEvaluated = prev.n_evaluated + nEval;

  // Candidate backtest: every individual not yet past CANDIDATE takes it on the most recent bars;
  // passing it enters CANDIDATE, and the CANDIDATE → SHADOW gate is judged on it.
  const candWindow = cfg.candidateWindow ?? {
    start: Math.max(0, nBars - Math.max(1, Math.round(cfg.gates.candidateDays))),
    end: nBars,
  };
  const candCache = new Map<string, Evaluation>();
  const promoted: string[] = [];
  const individuals: Individual[] = drafts.map((d, k) => {
    const e = evals[k];
    const id = `g${gen}-${k}`;
    let state = d.state;
    let cand: Evaluation | null = null;
    if (state === null || state === "CANDIDATE") {
      const key = genomeKey(d.genome);
      cand = candCache.get(key) ?? null;
      if (!cand) {
        cand = evaluate(d.genome, candWindow);
        candCache.set(key, cand);
      }
      if (state === null && candidateGate(cand.gate, cfg.gates).length === 0) state = "CANDIDATE";
      if (state === "CANDIDATE" && shadowGate(cand.gate, cfg.gates).length === 0) {
        state = transition(state, "start_shadow");
        promoted.push(id);
      }
    }
    return {
      id,
      parents: d.parents,
      operator: d.operator,
      generation: gen,
      genome: d.genome,
      fitness: e.fitness,
      metrics: { ...e.metrics, dsr: null },
      candidate: cand ? cand.metrics : null,
      state,
    };
  });

  // Deflated Sharpe ratio of the three fittest, against every evaluation made so far.
  const mean = sharpes.reduce((s, x) => s + x, 0) / Math.max(1, sharpes.length);
  const variance = sharpes.length > 1 ? sharpes.reduce((s, x) => s + (x - mean) ** 2, 0) / (sharpes.length - 1) : 0;
  const top = individuals
    .map((x, k) => ({ x, k }))
    .sort((a, b) => b.x.fitness - a.x.fitness || a.k - b.k)
    .slice(0, 3);
  for (const { x, k } of top) {
    const r = evals[k].returnsShape;
    const d = deflatedSharpeRatio({ ...r, nTrials: Math.max(1, nEvaluated), sharpeVariance: variance }).dsr;
    x.metrics.dsr = Number.isFinite(d) ? Math.round(d * 10000) / 10000 : null;
  }

  const state: EvolveState = {
    seed: prev.seed,
    rng: rng.state(),
    seeds: prev.seeds,
    generation: gen,
    population: individuals,
    n_evaluated: nEvaluated,
    n_duplicates: prev.n_duplicates + nDup,
    sharpes,
  };
  return {
    state,
    report: {
      n: gen,
      individuals,
      top_fitness: Math.max(...individuals.map((x) => x.fitness)),
      promoted,
      n_evaluated: nEval,
      n_candidate_backtests: candCache.size,
      candidate_window: candWindow,
      n_duplicates: nDup,
      n_genes_mutated: genesMutated,
      n_genes_offered: genesOffered,
      n_crossover: nCrossover,
      n_offspring: nOffspring,
      window,
    },
  };
}

/**
 * {@link runGeneration} with an evaluator that may be asynchronous (code genomes run in the
 * sandbox). Breeding never depends on this generation's scores, so a first pass with a recording
 * evaluator lists every (genome, window) the generation needs; they are evaluated (each distinct
 * one once, in order), and a second pass from the same state — the same random stream, the same
 * offspring — takes the results. Same seed → the same generation as the synchronous call.
 */
export async function runGenerationAsync(
  prev: EvolveState,
  evaluate: (plan: Genome, window: EvalWindow) => Evaluation | Promise<Evaluation>,
  nBars: number,
  cfg: EvolveConfig = DEFAULT_EVOLVE_CONFIG,
): Promise<{ state: EvolveState; report: GenerationReport }> {
  const key = (g: Genome, w: EvalWindow) => `${w.start}:${w.end}:${genomeKey(g)}`;
  const wanted: { g: Genome; w: EvalWindow }[] = [];
  const blank: Evaluation = {
    fitness: 0,
    metrics: {
      num_trades: 0,
      profit_factor: null,
      win_rate_pct: null,
      sharpe: null,
      max_drawdown_pct: null,
      total_return_pct: null,
      grade_score: 0,
      window_start_ms: 0,
      window_end_ms: 0,
    },
    gate: { profitFactor: NaN, winRatePct: NaN, numTrades: 0 },
    returnsShape: { sharpe: NaN, skew: NaN, kurtosis: NaN, t: 0 },
  };
  runGeneration(
    prev,
    (g, w) => {
      wanted.push({ g, w });
      return blank;
    },
    nBars,
    cfg,
  );
  const done = new Map<string, Evaluation>();
  for (const { g, w } of wanted) {
    const k = key(g, w);
    if (!done.has(k)) done.set(k, await evaluate(g, w));
  }
  return runGeneration(
    prev,
    (g, w) => {
      const e = done.get(key(g, w));
      if (!e) throw new Error("evaluation missing from the first pass");
      return e;
    },
    nBars,
    cfg,
  );
}

/** Runs `generations` generations from the seeds. */
export function evolve(
  seeds: Genome[],
  evaluate: Evaluator,
  nBars: number,
  opts: { generations: number; seed: number; config?: Partial<EvolveConfig> },
): { state: EvolveState; generations: GenerationReport[]; best: Individual } {
  const cfg = { ...DEFAULT_EVOLVE_CONFIG, ...opts.config };
  let state = initialState(seeds, opts.seed);
  const generations: GenerationReport[] = [];
  for (let g = 0; g < opts.generations; g++) {
    const r = runGeneration(state, evaluate, nBars, cfg);
    state = r.state;
    generations.push(r.report);
  }
  let best = generations[0].individuals[0];
  for (const g of generations) for (const x of g.individuals) if (x.fitness > best.fitness) best = x;
  return { state, generations, best };
}
