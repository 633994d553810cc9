/**
 * Optimize mode: a study over a strategy's params (lib/optimize) where each trial is a backtest
 * on the in-sample period — exactly what `runBacktest` computes with the same params, config and
 * `toMs` at the end of the in-sample period — followed by the best trial's out-of-sample backtest
 * on the holdout, optional walk-forward folds and subset-first stage, parameter importance and
 * the overfitting figures (trial count, PSR, DSR, PBO).
 */
import type { BarSeries } from "@/lib/data/bars";
import type { SimConfigInput } from "@/lib/engine/config";
import { buildReport, periodsPerYearOf, REPORT_KEYS, type Report } from "@/lib/engine/report";
import type { SignalArrays } from "@/lib/engine/signals";
import { simulate } from "@/lib/engine/simulate";
import { cagr, maxDrawdown, returnsFromEquity, sharpe, sortino, annualVolatility } from "@/lib/metrics";
import { overfittingReport, overfittingSentence, type OverfittingReport } from "@/lib/metrics/overfitting";
import { pedAnovaImportance } from "@/lib/optimize/importance";
import { paretoFront } from "@/lib/optimize/samplers";
import { buildSearchSpace, type Params, type SearchSpace, withFixed } from "@/lib/optimize/space";
import { type Evaluation, gridCount, runStudy, type StudyConfig, type TrialHandle } from "@/lib/optimize/study";
import type { StopReason } from "@/lib/optimize/stop";
import { bestSoFar, bestTrial, type Direction, type Trial } from "@/lib/optimize/types";
import {
  holdoutSplit,
  stitchEquity,
  stratifiedSubset,
  walkForwardEfficiency,
  walkForwardFolds,
} from "@/lib/optimize/validation";
import type { Study } from "@/lib/schemas/study";
import { resolveParams } from "@/lib/sdk/params";
import type { ParamSpecs } from "@/lib/sdk/types";
import { type BacktestResult, runBacktest } from "./backtest";
import { type ModeRequest, buildInputs, isoTime, prepareStrategy } from "./common";
import type { StrategyInfo } from "./runner";
import { type BuiltInSignals, builtInSignals, studyKernel } from "./optimize-kernel";
import { EmptyRangeError, lowerBound, sliceSeries, sliceSignals } from "./window";

/** Default most grid points a study may have. */
export const DEFAULT_GRID_LIMIT = 100_000;

export interface OptimizeRequest extends ModeRequest {
  study: Study;
  config?: SimConfigInput;
  /** Most grid points (the workspace limit). */
  gridLimit?: number;
  clock: { now: () => number };
  isCancelled?: () => boolean;
  /** Called after every finished trial (live progress). */
  onTrial?: (p: OptimizeProgress) => void;
  /** Awaited after every trial so the host's I/O (progress writes, cancel checks) can run. */
  between?: () => Promise<void>;
  /** First bar of the study, UTC ms (inclusive); earlier bars only warm up the indicators. */
  fromMs?: number;
  /** Where the main search runs (default: this process, in order). */
  executor?: StudyExecutor;
  /**
   * Trials sampled at once in the main search (default 1, the sequential study): trial n sees the
   * trials up to n − window (lib/optimize/study.ts windowedHistory). A queued study uses 1 + its
   * helper jobs; the same window here repeats its trial sequence in one process.
   */
  window?: number;
  /**
   * Let built-in kernels serve the study (default true): a built-in example's signals computed
   * in-process, the cross kernel for walk-forward grids. false = every trial through the runner
   * and a full backtest.
   */
  kernels?: boolean;
}

/** A trial's evaluation with the data the study keeps about it. */
export interface TrialOutcome {
  evaluation: Evaluation;
  metrics: Report | null;
  /** In-sample per-bar returns (complete trials), for PBO and the DSR. */
  returns: Float32Array | null;
  error?: string;
}

/** Evaluates one trial; `handle.report` feeds the pruner. */
export type TrialObjective = (params: Params, handle: TrialHandle) => Promise<TrialOutcome>;

/**
 * Runs the main search somewhere else than in this loop — e.g. with the study's state in the
 * database and its trials spread over worker processes. Returns every trial and what each kept.
 */
export interface StudyExecutor {
  run(
    cfg: StudyConfig,
    objective: TrialObjective,
  ): Promise<{ trials: Trial[]; stopReason: StopReason; outcomes: Map<number, Omit<TrialOutcome, "evaluation">> }>;
}

export interface OptimizeProgress {
  stage: "search" | "walk_forward" | "subset" | "validation";
  trial: TrialJson;
  n_trials: number;
  best_value: number | null;
  /** Expected total trials (grid size or the trial budget), null when only a timeout bounds the study. */
  expected_trials: number | null;
  elapsed_ms: number;
  eta_ms: number | null;
}

export interface TrialJson {
  number: number;
  params: Params;
  state: "complete" | "pruned" | "failed" | "infeasible";
  value?: number | null;
  values?: Array<number | null>;
  metrics: Record<string, number | null> | null;
  intermediate?: Array<[number, number]>;
  error?: string;
}

export interface PeriodJson {
  from: string;
  to: string;
  bars: number;
}

export interface OptimizeResult {
  execution_mode: "optimize";
  strategy: { name: string; fixed_params: Params };
  method: Study["method"];
  objectives: Study["objectives"];
  n_trials: number;
  n_complete: number;
  n_pruned: number;
  n_failed: number;
  n_infeasible: number;
  stop_reason: StopReason;
  grid_size: number | null;
  seed: number;
  /**
   * Trials sampled at once on the queue (1 + helper jobs; absent in one process = 1). With the seed
   * it fixes the trial sequence: trial n is sampled against the trials up to n − window.
   */
  parallel_window?: number;
  pruner: Study["pruner"];
  /** Pruning resource levels (share of the symbols, or of the in-sample period for a single symbol). */
  pruning_resource: { kind: "universe" | "period"; levels: number[] } | null;
  space: Record<string, unknown>;
  constraints: string[];
  trials: TrialJson[];
  best_so_far: Array<number | null>;
  best: {
    number: number;
    params: Params;
    in_sample: { period: PeriodJson; metrics: Record<string, number | null> };
    out_of_sample: {
      period: PeriodJson;
      metrics: Record<string, number | null>;
      grade: BacktestResult["grade"];
      equity: number[];
      timestamps: number[];
    } | null;
  } | null;
  pareto_front: number[] | null;
  importance: Record<string, number>;
  overfitting: OverfittingReport & { sentence: string };
  walk_forward?: {
    anchored: boolean;
    folds: Array<{
      train: PeriodJson;
      test: PeriodJson;
      params: Params | null;
      in_sample_value: number | null;
      metrics: Record<string, number | null> | null;
    }>;
    out_of_sample: { metrics: Record<string, number | null>; equity: number[]; timestamps: number[] };
    efficiency: number | null;
  };
  subset?: {
    symbols: string[];
    subset_results: Array<{ number: number; params: Params; metrics: Record<string, number | null> }>;
    universe_results: Array<{ number: number; params: Params; metrics: Record<string, number | null> }>;
  };
  warnings: string[];
}

const REPORT_KEY_SET = new Set<string>(REPORT_KEYS);
const key = (p: Params): string =>
  JSON.stringify(
    Object.keys(p)
      .sort()
      .map((k) => [k, p[k]]),
  );
const nul = (x: number): number | null => (Number.isFinite(x) ? x : null);

function period(s: BarSeries, start: number, end: number): PeriodJson {
  return {
    from: isoTime(s.timestampsMs[start]).slice(0, 10),
    to: isoTime(s.timestampsMs[end - 1]).slice(0, 10),
    bars: end - start,
  };
}

/** Metrics of an equity curve alone (the stitched walk-forward curve has no single simulation). */
function curveMetrics(equity: Float64Array, timestamps: Float64Array): Record<string, number | null> {
  const ppy = periodsPerYearOf(timestamps);
  const r = returnsFromEquity(equity);
  const dd = maxDrawdown(equity);
  const c = cagr(equity, ppy);
  return {
    total_return_pct: nul((equity[equity.length - 1] / equity[0] - 1) * 100),
    cagr_pct: nul(c * 100),
    volatility_pct: nul(annualVolatility(r, ppy) * 100),
    sharpe: nul(sharpe(r, ppy)),
    sortino: nul(sortino(r, ppy)),
    max_drawdown_pct: nul(dd.maxDrawdown * 100),
    calmar: nul(dd.maxDrawdown < 0 ? c / -dd.maxDrawdown : NaN),
    num_bars: equity.length,
  };
}

interface Window {
  /** symbols (indexes into the universe) */
  symbols: number[];
  start: number;
  end: number;
}

interface Evaluated {
  metrics: Report;
  returns: Float32Array;
  equity: Float64Array;
}

/** The engine of a study: signals per distinct params and window end, cached; simulations per window. */
class TrialEvaluator {
  private signals = new Map<string, Map<number, SignalArrays>>();
  private evals = new Map<string, Evaluated>();
  /** In-process signals when the strategy is a built-in example (no runner round trip per trial). */
  private readonly builtIn: BuiltInSignals | null;
  /** Names this study's data for the runner's cache (random: another study cannot name it). */
  private readonly dataKey = `study-${globalThis.crypto.randomUUID()}`;
  constructor(
    private readonly req: OptimizeRequest,
    private readonly info: StrategyInfo,
    private readonly space: SearchSpace,
  ) {
    this.builtIn = req.kernels === false ? null : builtInSignals(req.source);
  }

  resolved(p: Params): Record<string, number | string | boolean> {
    return resolveParams(
      this.info.params,
      withFixed(this.space, p) as Record<string, string | number | boolean>,
    ) as Record<string, number | string | boolean>;
  }

  /** Signals for symbols over bars [0, end), computed once per (params, end, symbol). */
  async signalsFor(p: Params, symbols: number[], end: number): Promise<SignalArrays[]> {
    const params = this.resolved(p);
    const k = `${key(params)}@${end}`;
    let cache = this.signals.get(k);
    if (!cache) this.signals.set(k, (cache = new Map()));
    const missing = symbols.filter((i) => !cache!.has(i));
    if (missing.length) {
      const hist = missing.map((i) => sliceSeries(this.req.universe[i], 0, end));
      const inputs = buildInputs(hist, this.info, this.req.fundamentals, this.req.macro);
      // The bars of (symbol, end) never change within a study: the runner may keep them between
      // trials under a key only this study knows.
      const out = this.builtIn
        ? this.builtIn(inputs, params)
        : await this.req.runner.signals(this.req.source, inputs, params, {
            cacheKeys: missing.map((i) => `${this.dataKey}:${i}:${end}`),
          });
      missing.forEach((i, j) => cache!.set(i, out[j]));
    }
    return symbols.map((i) => cache!.get(i)!);
  }

  /** Backtest of the params on a window: signals over [0, end), simulation over [start, end). */
  async evaluate(p: Params, w: Window): Promise<Evaluated> {
    const k = `${key(this.resolved(p))}|${w.symbols.join(",")}|${w.start}|${w.end}`;
    const hit = this.evals.get(k);
    if (hit) return hit;
    const sig = await this.signalsFor(p, w.symbols, w.end);
    const universe = w.symbols.map((i) => sliceSeries(this.req.universe[i], w.start, w.end));
    const sim = simulate(
      universe,
      sig.map((s) => sliceSignals(s, w.start, w.end)),
      this.req.config ?? {},
    );
    const metrics = buildReport(sim);
    const ev = { metrics, returns: Float32Array.from(returnsFromEquity(sim.equity)), equity: sim.equity };
    this.evals.set(k, ev);
    return ev;
  }

  /** Drop cached signals (between walk-forward folds). */
  clear(): void {
    this.signals.clear();
    this.evals.clear();
  }
}

function violation(study: Study, m: Pick<Report, "num_trades" | "max_drawdown_pct">, values: number[]): number {
  let v = 0;
  if (values.some((x) => !Number.isFinite(x))) v += 1;
  if (study.min_trades !== undefined) v += Math.max(0, study.min_trades - (m.num_trades ?? 0));
  if (study.max_drawdown_pct !== undefined && m.max_drawdown_pct !== null)
    v += Math.max(0, -m.max_drawdown_pct - study.max_drawdown_pct);
  return v;
}

function trialJson(t: Trial, metrics: Record<string, number | null> | null, multi: boolean, error?: string): TrialJson {
  const infeasible = (t.violation ?? 0) > 0;
  const state = t.state === "running" ? "failed" : infeasible ? "infeasible" : t.state;
  const vals = t.values?.map((x) => nul(x));
  const out: TrialJson = { number: t.number, params: t.params, state, metrics };
  if (multi) out.values = vals ?? [];
  else out.value = vals?.[0] ?? null;
  if (t.intermediate?.length) out.intermediate = t.intermediate;
  if (error) out.error = error;
  return out;
}

/**
 * Checks a study against a strategy's declared params before anything is queued: ranges,
 * choices, constraints and (for a grid) the combination count under `gridLimit`. Throws
 * {@link SpaceError} naming the field; returns the grid size (null unless grid).
 */
export function checkStudy(
  specs: ParamSpecs,
  study: Study,
  gridLimit = DEFAULT_GRID_LIMIT,
): { gridSize: number | null } {
  const space = buildSearchSpace(specs, {
    ranges: Object.entries(study.ranges).map(([name, r]) => ({ name, ...r })),
    choices: Object.entries(study.choices).map(([name, choices]) => ({ name, choices })),
    constraints: study.constraints,
  });
  if (study.method !== "grid") return { gridSize: null };
  return {
    gridSize: gridCount({
      space,
      method: "grid",
      directions: study.objectives.map((o) => o.direction),
      seed: study.seed,
      stop: {},
      gridLimit,
    }),
  };
}

/** Run a study. Throws SpaceError (bad ranges/constraints/grid over the limit), ParamError, EmptyRangeError. */
export async function runOptimize(req: OptimizeRequest): Promise<OptimizeResult> {
  const r = await optimize({ ...req, participateOnly: false });
  return r!;
}

/**
 * Take part in a study whose main search runs through `executor` (another process coordinates
 * it): evaluate trials until the study stops, then return. The coordinator builds the result.
 */
export async function participateInStudy(req: OptimizeRequest & { executor: StudyExecutor }): Promise<void> {
  await optimize({ ...req, participateOnly: true });
}

async function optimize(req: OptimizeRequest & { participateOnly: boolean }): Promise<OptimizeResult | null> {
  const study = req.study;
  const prepared = await prepareStrategy({ source: req.source, runner: req.runner, params: req.params });
  const info = prepared.info;
  if (req.universe.length === 0) throw new EmptyRangeError("the universe has no symbols");
  const space = buildSearchSpace(info.params, {
    ranges: Object.entries(study.ranges).map(([name, r]) => ({ name, ...r })),
    choices: Object.entries(study.choices).map(([name, choices]) => ({ name, choices })),
    constraints: study.constraints,
    fixed: prepared.params,
  });
  const gridLimit = req.gridLimit ?? DEFAULT_GRID_LIMIT;
  const directions: Direction[] = study.objectives.map((o) => o.direction);
  const cfgBase: Omit<StudyConfig, "stop"> = {
    space,
    method: study.method,
    directions,
    seed: study.seed,
    pruner: study.pruner,
    gridLimit,
  };
  // Walk-forward and subset re-optimizations run in this process, in order (window 1).
  const mainWindow = req.window ?? study.window ?? 1;
  const mainCfg = { ...cfgBase, ...(mainWindow > 1 ? { window: mainWindow } : {}) };
  const stop = {
    maxTrials: study.trials,
    timeoutMs: study.timeout !== undefined ? study.timeout * 1000 : undefined,
    patience: study.patience,
  };
  const gridN = study.method === "grid" ? gridCount({ ...cfgBase, stop }) : null; // throws over the limit

  const first = req.universe[0];
  const nBars = first.close.length;
  // The study covers bars [startBar, n): signals always see the history before (indicators warm
  // up), as a standalone backtest with the same `fromMs` does.
  const startBar = req.fromMs === undefined ? 0 : lowerBound(first.timestampsMs, req.fromMs);
  if (nBars - startBar < 3) throw new EmptyRangeError("the date range leaves fewer than 3 bars to optimize on");
  const rel = holdoutSplit(nBars - startBar, study.holdout);
  const split = {
    inSample: { start: startBar + rel.inSample.start, end: startBar + rel.inSample.end },
    outOfSample: rel.outOfSample
      ? { start: startBar + rel.outOfSample.start, end: startBar + rel.outOfSample.end }
      : null,
  };
  const isEnd = split.inSample.end;
  if (isEnd - startBar < 3)
    throw new EmptyRangeError(`the in-sample period has ${isEnd - startBar} bars; shorten the holdout`);
  const allSymbols = req.universe.map((_, i) => i);
  const ev = new TrialEvaluator(req, info, space);
  // Walk-forward re-optimizations keep only each trial's objective values, so a built-in sweep
  // kernel can serve them (the main search keeps every trial's full report and return series).
  const kernel =
    req.kernels === false || study.pruner !== "none"
      ? null
      : studyKernel(req.source, space, req.config ?? {}, [
          ...study.objectives.map((o) => o.metric),
          ...(study.min_trades !== undefined ? ["num_trades"] : []),
          ...(study.max_drawdown_pct !== undefined ? ["max_drawdown_pct"] : []),
        ]);
  const warnings: string[] = [];
  const multi = directions.length > 1;

  let subsetSymbols: number[] = allSymbols;
  if (study.subset) {
    const names = stratifiedSubset(
      req.universe.map((s) => ({ symbol: s.symbol, sector: req.fundamentals?.[s.symbol]?.sector ?? null })),
      study.subset.n,
      study.seed,
    );
    const set = new Set(names);
    subsetSymbols = allSymbols.filter((i) => set.has(req.universe[i].symbol));
  }

  // Pruning resource levels: share of the symbols (≥ 3 symbols) or of the in-sample period.
  const nSym = subsetSymbols.length;
  const pruningKind: "universe" | "period" = nSym >= 3 ? "universe" : "period";
  const levels = study.pruner === "none" ? [1] : [0.1, 0.3, 1];

  const metricsById = new Map<number, Record<string, number | null>>();
  const returnsById = new Map<number, Float32Array>();
  const errors = new Map<number, string>();

  async function search(
    win: Window,
    stage: OptimizeProgress["stage"],
    record: boolean,
    executor?: StudyExecutor,
  ): Promise<{ trials: Trial[]; stopReason: StopReason; metrics: Map<number, Report> }> {
    const local = new Map<number, Report>();
    const expected = gridN ?? study.trials ?? null;
    const t0 = req.clock.now();
    const inner: TrialObjective = async (p, h) => {
      try {
        if (kernel && !record && win.symbols.length === 1) {
          const km = kernel.evaluate(ev.resolved(p), req.universe[win.symbols[0]], win.start, win.end);
          if (km) {
            const values = study.objectives.map((o) => km[o.metric as keyof typeof km] ?? NaN);
            return {
              evaluation: { values, violation: violation(study, km, values) },
              metrics: null,
              returns: null,
            };
          }
        }
        if (study.pruner !== "none") {
          for (let s = 0; s < levels.length - 1; s++) {
            const w =
              pruningKind === "universe"
                ? {
                    symbols: win.symbols.slice(0, Math.max(1, Math.ceil(levels[s] * win.symbols.length))),
                    start: win.start,
                    end: win.end,
                  }
                : {
                    symbols: win.symbols,
                    start: win.start,
                    end: win.start + Math.max(3, Math.ceil(levels[s] * (win.end - win.start))),
                  };
            const e = await ev.evaluate(p, w);
            const v = e.metrics[study.objectives[0].metric];
            if (h.report(s, v ?? (directions[0] === "maximize" ? -Infinity : Infinity)))
              return { evaluation: { pruned: true }, metrics: null, returns: null };
          }
        }
        const e = await ev.evaluate(p, win);
        const values = study.objectives.map((o) => e.metrics[o.metric] ?? NaN);
        return {
          evaluation: { values, violation: violation(study, e.metrics, values) },
          metrics: e.metrics,
          returns: e.returns,
        };
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        return { evaluation: { failed: msg }, metrics: null, returns: null, error: msg };
      }
    };
    const keep = (number: number, o: Omit<TrialOutcome, "evaluation">): void => {
      if (o.metrics) local.set(number, o.metrics);
      if (!record) return;
      if (o.metrics) metricsById.set(number, o.metrics);
      if (o.returns) returnsById.set(number, o.returns);
      if (o.error) errors.set(number, o.error);
    };
    if (executor) {
      const r = await executor.run({ ...(stage === "search" ? mainCfg : cfgBase), stop }, inner);
      for (const [number, o] of r.outcomes) keep(number, o);
      return { trials: r.trials, stopReason: r.stopReason, metrics: local };
    }
    const objective = async (p: Params, h: TrialHandle): Promise<Evaluation> => {
      const o = await inner(p, h);
      keep(h.number, o);
      return o.evaluation;
    };
    const r = await runStudy(
      { ...(stage === "search" ? mainCfg : cfgBase), stop },
      objective,
      req.clock,
      (t, all) => {
        if (!req.onTrial) return;
        const best = bestTrial(all, directions[0]);
        const elapsed = req.clock.now() - t0;
        const n = all.length;
        const eta =
          expected !== null
            ? Math.max(0, (elapsed / n) * (expected - n))
            : study.timeout !== undefined
              ? Math.max(0, study.timeout * 1000 - elapsed)
              : null;
        req.onTrial({
          stage,
          trial: trialJson(t, local.get(t.number) ?? null, multi, errors.get(t.number)),
          n_trials: n,
          best_value: best ? nul(best.values![0]) : null,
          expected_trials: expected,
          elapsed_ms: elapsed,
          eta_ms: eta,
        });
      },
      req.isCancelled,
      req.between,
    );
    return { ...r, metrics: local };
  }

  // ---- the main search on the in-sample period (the subset first when asked)
  const mainWin: Window = { symbols: subsetSymbols, start: startBar, end: isEnd };
  const main = await search(mainWin, "search", true, req.executor);
  if (req.participateOnly) return null;
  const trials = main.trials;
  const dir = directions[0];
  const best = multi ? undefined : bestTrial(trials, dir);
  const front = multi ? paretoFront(trials, directions) : null;
  // For several objectives the "best" reported is the front member best on the first objective.
  const chosen =
    best ??
    (front && front.length
      ? front.reduce((a, b) =>
          dir === "maximize" ? (b.values![0] > a.values![0] ? b : a) : b.values![0] < a.values![0] ? b : a,
        )
      : undefined);

  const trialsJson = trials.map((t) => trialJson(t, metricsById.get(t.number) ?? null, multi, errors.get(t.number)));
  const n = (s: TrialJson["state"]) => trialsJson.filter((t) => t.state === s).length;

  // ---- honest figures over the complete trials' in-sample returns
  const complete = trials.filter((t) => t.state === "complete" && returnsById.has(t.number));
  const series = complete.map((t) => returnsById.get(t.number)!);
  const bestIdx = chosen ? complete.findIndex((t) => t.number === chosen.number) : -1;
  const of =
    bestIdx >= 0 && series.length > 0
      ? overfittingReport(series, bestIdx, { nTrials: trials.length })
      : overfittingReport([], 0, { nTrials: trials.length });

  // ---- best trial: in-sample and holdout backtests through the same path as a standalone backtest
  let bestJson: OptimizeResult["best"] = null;
  const symbolsForBest = study.subset ? allSymbols : subsetSymbols;
  if (chosen) {
    const inMetrics = study.subset
      ? (await ev.evaluate(chosen.params, { symbols: allSymbols, start: startBar, end: isEnd })).metrics
      : metricsById.get(chosen.number)!;
    let oos: NonNullable<OptimizeResult["best"]>["out_of_sample"] = null;
    if (split.outOfSample) {
      const bt = await runBacktest({
        source: req.source,
        runner: req.runner,
        universe: symbolsForBest.map((i) => req.universe[i]),
        fundamentals: req.fundamentals,
        params: ev.resolved(chosen.params),
        config: req.config,
        fromMs: first.timestampsMs[split.outOfSample.start],
        lookAhead: false,
      });
      oos = {
        period: period(first, split.outOfSample.start, split.outOfSample.end),
        metrics: Object.fromEntries(Object.entries(bt.performance_metrics).filter(([k]) => REPORT_KEY_SET.has(k))),
        grade: bt.grade,
        equity: bt.engine.equity,
        timestamps: bt.engine.timestamps,
      };
    }
    bestJson = {
      number: chosen.number,
      params: withFixed(space, chosen.params),
      in_sample: { period: period(first, startBar, isEnd), metrics: inMetrics },
      out_of_sample: oos,
    };
  }

  const result: OptimizeResult = {
    execution_mode: "optimize",
    strategy: { name: info.name, fixed_params: space.fixed },
    method: study.method,
    objectives: study.objectives,
    n_trials: trials.length,
    n_complete: n("complete"),
    n_pruned: n("pruned"),
    n_failed: n("failed"),
    n_infeasible: n("infeasible"),
    stop_reason: main.stopReason,
    grid_size: gridN,
    seed: study.seed,
    pruner: study.pruner,
    pruning_resource: study.pruner === "none" ? null : { kind: pruningKind, levels },
    space: space.dists,
    constraints: study.constraints,
    trials: trialsJson,
    best_so_far: bestSoFar(trials, dir).map(nul),
    best: bestJson,
    pareto_front: front ? front.map((t) => t.number) : null,
    importance: multi || complete.length < 2 ? {} : pedAnovaImportance(space, trials, dir),
    overfitting: { ...of, sentence: overfittingSentence(of) },
    warnings,
  };
  if (multi && complete.length >= 2) {
    // importance toward the first objective
    result.importance = pedAnovaImportance(
      space,
      trials.map((t) => ({ ...t, values: t.values ? [t.values[0]] : t.values })),
      dir,
    );
  }

  // ---- subset first: re-run the best K on the whole universe
  if (study.subset) {
    const ranked = trials
      .filter((t) => t.state === "complete" && !((t.violation ?? 0) > 0) && Number.isFinite(t.values![0]))
      .sort(
        (a, b) =>
          (dir === "maximize" ? b.values![0] - a.values![0] : a.values![0] - b.values![0]) || a.number - b.number,
      );
    const seen = new Set<string>();
    const top: Trial[] = [];
    for (const t of ranked) {
      const k = key(t.params);
      if (seen.has(k)) continue;
      seen.add(k);
      top.push(t);
      if (top.length >= study.subset.top) break;
    }
    const universeResults = [];
    for (const t of top) {
      if (req.isCancelled?.()) break;
      const e = await ev.evaluate(t.params, { symbols: allSymbols, start: startBar, end: isEnd });
      universeResults.push({ number: t.number, params: withFixed(space, t.params), metrics: e.metrics });
    }
    result.subset = {
      symbols: subsetSymbols.map((i) => req.universe[i].symbol),
      subset_results: top.map((t) => ({
        number: t.number,
        params: withFixed(space, t.params),
        metrics: metricsById.get(t.number)!,
      })),
      universe_results: universeResults,
    };
  }

  // ---- walk-forward over the in-sample period (the holdout stays unseen)
  if (study.walk_forward && !req.isCancelled?.()) {
    const folds = walkForwardFolds(isEnd - startBar, study.walk_forward.folds, study.walk_forward.anchored).map(
      (f) => ({
        train: { start: startBar + f.train.start, end: startBar + f.train.end },
        test: { start: startBar + f.test.start, end: startBar + f.test.end },
      }),
    );
    const foldOut: NonNullable<OptimizeResult["walk_forward"]>["folds"] = [];
    const curves: Float64Array[] = [];
    const stamps: number[] = [];
    const isVals: Array<number | null> = [];
    const oosVals: Array<number | null> = [];
    let trades = 0;
    for (const f of folds) {
      if (req.isCancelled?.()) break;
      ev.clear();
      const r = await search(
        { symbols: symbolsForBest, start: f.train.start, end: f.train.end },
        "walk_forward",
        false,
      );
      const fb = multi ? paretoFront(r.trials, directions)[0] : bestTrial(r.trials, dir);
      let metrics: Record<string, number | null> | null = null;
      if (fb) {
        const e = await ev.evaluate(fb.params, { symbols: symbolsForBest, start: f.test.start, end: f.test.end });
        metrics = e.metrics;
        curves.push(e.equity);
        for (let i = f.test.start; i < f.test.end; i++) stamps.push(first.timestampsMs[i]);
        trades += e.metrics.num_trades ?? 0;
        isVals.push(nul(fb.values![0]));
        oosVals.push(e.metrics[study.objectives[0].metric]);
      } else {
        isVals.push(null);
        oosVals.push(null);
      }
      foldOut.push({
        train: period(first, f.train.start, f.train.end),
        test: period(first, f.test.start, f.test.end),
        params: fb ? withFixed(space, fb.params) : null,
        in_sample_value: fb ? nul(fb.values![0]) : null,
        metrics,
      });
    }
    const initial = req.config?.initialCash ?? 10_000;
    const stitched = stitchEquity(curves, initial);
    const oosMetrics =
      stitched.length >= 2 ? { ...curveMetrics(stitched, Float64Array.from(stamps)), num_trades: trades } : {};
    result.walk_forward = {
      anchored: study.walk_forward.anchored,
      folds: foldOut,
      out_of_sample: { metrics: oosMetrics, equity: Array.from(stitched), timestamps: stamps },
      efficiency: walkForwardEfficiency(isVals, oosVals),
    };
  }
  return result;
}
