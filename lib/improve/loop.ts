/**
 * The improvement loop: rewrite a strategy from its own results without fooling itself.
 *
 * The holdout (the last `holdout` share of the bars) is cut off before anything else and never
 * reaches an iteration: every iteration sees only the bars before it, split into train (the
 * parameter study searches there) and validation (acceptance and the choice of the best iteration
 * are made there). The holdout is backtested once, after the loop, for the baseline and the best
 * iteration. Every evaluated variant counts toward the Deflated Sharpe Ratio of the best one.
 *
 * Per iteration, in order: market regime → diagnosis (validation metrics and every failing
 * constraint with its gap) → patch (the injected model) → checks (static, look-ahead, one repair)
 * → parameter study (lib/optimize, small budget) → validation → decision.
 */
import type { BarSeries, FundamentalSeries } from "@/lib/data/bars";
import type { SimConfigInput } from "@/lib/engine/config";
import { REPORT_KEYS } from "@/lib/engine/report";
import { returnsFromEquity } from "@/lib/metrics";
import {
  deflatedSharpeRatio,
  kurtosis,
  overfittingSentence,
  perPeriodSharpe,
  probabilisticSharpeRatio,
  skewness,
} from "@/lib/metrics/overfitting";
import { runBacktest } from "@/lib/modes/backtest";
import type { RawParams } from "@/lib/modes/common";
import { runOptimize } from "@/lib/modes/optimize";
import type { StrategyRunner } from "@/lib/modes/runner";
import { cutAt, sliceSeries } from "@/lib/modes/window";
import type { Params } from "@/lib/optimize/space";
import { resolveParams } from "@/lib/sdk/params";
import { studySchema } from "@/lib/schemas/study";
import { DEFAULT_THRESHOLDS, failedConstraints, relativeImprovement, type Thresholds } from "./constraints";
import { unifiedDiff } from "./diff";
import { improvementPrompt, repairPrompt } from "./prompt";
import { marketRegime } from "./regime";
import { studyRanges, withDefaults } from "./tuning";
import {
  IMPROVE_STAGES,
  type ImproveModel,
  type ImproveResult,
  type ImproveStage,
  type IterationJson,
  type Patch,
  type WindowMetrics,
} from "./types";

/** The most iterations a loop may run (the workspace cap may be lower). */
export const MAX_IMPROVE_ITERATIONS = 20;

/** Events streamed while the loop runs (progress, SSE). */
export type ImproveEvent =
  | { type: "stage"; iteration: number; stage: ImproveStage; detail?: string }
  | { type: "iteration"; iteration: IterationJson }
  | { type: "holdout" };

/** What the loop keeps between iterations; a run resumes from it after a worker restart. */
export interface ImproveCheckpoint {
  iterations: IterationJson[];
  n_trials: number;
  /** Per-bar Sharpes of every complete variant on the train window (their variance deflates the best). */
  trial_sharpes: number[];
  /** Validation return shapes by iteration number (0 = baseline). */
  shapes: Record<number, Shape>;
}

interface Shape {
  sharpe: number;
  skew: number;
  kurtosis: number;
  t: number;
}

export interface ImproveRequest {
  source: string;
  params?: RawParams;
  universe: BarSeries[];
  fundamentals?: Record<string, FundamentalSeries>;
  runner: StrategyRunner;
  config?: SimConfigInput;
  model: ImproveModel;
  /** The sandbox's static checks: problems as sentences, [] when the source passes. */
  checkSource: (source: string) => string[];
  thresholds?: Partial<Thresholds>;
  iterations?: number;
  improvementThreshold?: number;
  /** Share of the bars at the end kept as the holdout (default 0.2). */
  holdout?: number;
  /** Share of the remaining bars at their end used for validation (default 0.25). */
  validation?: number;
  /** Trials of each iteration's parameter study (default 8). */
  trialsPerIteration?: number;
  seed?: number;
  /** Wall-clock cap: no new iteration starts once this much time has passed (the clock is injected). */
  timeLimitMs?: number;
  /** Id of the version the loop starts from. */
  baseVersion?: string | null;
  /** Stores an accepted version and returns its id (default: "iteration-N"). */
  saveVersion?: (v: {
    iteration: number;
    source: string;
    params: Params;
    parent: string | null;
    diff: string;
    patch: Patch;
    prompt: string;
    model: string;
  }) => Promise<string>;
  resume?: ImproveCheckpoint;
  onCheckpoint?: (c: ImproveCheckpoint) => Promise<void> | void;
  onEvent?: (e: ImproveEvent) => Promise<void> | void;
  isCancelled?: () => boolean;
  clock: { now: () => number };
}

const REPORT = new Set<string>(REPORT_KEYS);
const pick = (m: Record<string, number | null>) => Object.fromEntries(Object.entries(m).filter(([k]) => REPORT.has(k)));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function shapeOf(equity: ArrayLike<number>): Shape {
  const r = returnsFromEquity(Float64Array.from(equity));
  return { sharpe: perPeriodSharpe(r), skew: skewness(r), kurtosis: kurtosis(r), t: r.length };
}

/** Run the loop. Throws on bad input (ParamError, EmptyRangeError); a failing iteration never ends it. */
export async function runImprove(req: ImproveRequest): Promise<ImproveResult> {
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...req.thresholds };
  const maxIter = req.iterations ?? 5;
  const improvementThreshold = req.improvementThreshold ?? 0.1;
  const holdoutShare = req.holdout ?? 0.2;
  const validationShare = req.validation ?? 0.25;
  const budget = req.trialsPerIteration ?? 8;
  const seed = req.seed ?? 0;
  const t0 = req.clock.now();
  const emit = async (e: ImproveEvent) => void (await req.onEvent?.(e));

  // ---- the holdout is cut off first: iterations only ever see `visible`
  const first = req.universe[0];
  const n = first.close.length;
  const h = n - Math.floor(n * holdoutShare);
  const v = h - Math.floor(h * validationShare);
  if (v < 3 || h - v < 2) throw new RangeError(`too few bars (${n}) for a train, validation and holdout split`);
  const holdoutStartMs = first.timestampsMs[h];
  const visible = holdoutShare > 0 && h < n ? cutAt(req.universe, first.timestampsMs[h - 1]) : req.universe;
  const train = visible.map((s) => sliceSeries(s, 0, Math.min(v, s.close.length)));
  const validationFromMs = first.timestampsMs[v];
  const periods: ImproveResult["periods"] = {
    train: { from: day(first.timestampsMs[0]), to: day(first.timestampsMs[v - 1]), bars: v },
    validation: { from: day(validationFromMs), to: day(first.timestampsMs[h - 1]), bars: h - v },
    holdout: h < n ? { from: day(holdoutStartMs), to: day(first.timestampsMs[n - 1]), bars: n - h } : null,
  };
  const common = { runner: req.runner, fundamentals: req.fundamentals, config: req.config };

  const validate = async (source: string, params: Params) => {
    const bt = await runBacktest({
      ...common,
      source,
      universe: visible,
      params: params as RawParams,
      fromMs: validationFromMs,
      lookAhead: false,
    });
    return {
      metrics: pick(bt.performance_metrics),
      shape: shapeOf(bt.engine.equity),
      params: bt.strategy.params as Params,
    };
  };

  // ---- baseline: the starting version on validation
  const base = await validate(req.source, (req.params ?? {}) as Params);
  const cp: ImproveCheckpoint = req.resume ?? {
    iterations: [],
    n_trials: 1,
    trial_sharpes: [],
    shapes: { 0: base.shape },
  };
  let current = {
    iteration: 0,
    code: req.source,
    params: base.params,
    version: req.baseVersion ?? null,
    metrics: base.metrics as Record<string, number | null> | null,
  };
  for (const it of cp.iterations)
    if (it.accepted)
      current = {
        iteration: it.n,
        code: it.code,
        params: it.params,
        version: it.version,
        metrics: it.validation.metrics,
      };

  let stopReason: ImproveResult["stop_reason"] = "iterations";
  if (failedConstraints(current.metrics, thresholds).length === 0) stopReason = "met";
  const regime = marketRegime(train);

  for (let i = cp.iterations.length + 1; i <= maxIter && stopReason === "iterations"; i++) {
    if (req.isCancelled?.()) {
      stopReason = "cancelled";
      break;
    }
    if (req.timeLimitMs !== undefined && req.clock.now() - t0 >= req.timeLimitMs) {
      stopReason = "time_limit";
      break;
    }
    const it = await iteration(i);
    cp.iterations.push(it);
    await emit({ type: "iteration", iteration: it });
    await req.onCheckpoint?.(cp);
    if (it.accepted) {
      current = {
        iteration: it.n,
        code: it.code,
        params: it.params,
        version: it.version,
        metrics: it.validation.metrics,
      };
      if (it.failed_constraints.length === 0) stopReason = "met";
    }
  }

  async function iteration(i: number): Promise<IterationJson> {
    const stage = (s: ImproveStage, detail?: string) => emit({ type: "stage", iteration: i, stage: s, detail });
    await stage("market_regime", `${regime.trend}, volatility ${regime.volatility_level}`);
    const failedNow = failedConstraints(current.metrics, thresholds);
    const diagnosis = { metrics: current.metrics, failed_constraints: failedNow, thresholds };
    const history = cp.iterations.map((x) => ({
      n: x.n,
      summary: x.patch?.summary ?? "no patch",
      accepted: x.accepted,
      reason: x.reason,
    }));
    const preq = { iteration: i, source: current.code, params: current.params, regime, diagnosis, history };
    const prompt = improvementPrompt(preq);
    await stage("diagnosis", failedNow.map((c) => c.name).join(", ") || "no failing constraint");
    const out: IterationJson = {
      n: i,
      stages: [...IMPROVE_STAGES],
      base_version: current.version,
      version: null,
      regime,
      diagnosis: { ...diagnosis, prompt },
      patch: null,
      diff: "",
      checks: { static_errors: [], look_ahead: null, repaired: false, passed: false },
      study: null,
      validation: { period: periods.validation, metrics: null },
      failed_constraints: [],
      improvement: null,
      accepted: false,
      reason: "",
      code: current.code,
      params: current.params,
    };
    const reject = async (reason: string, from: ImproveStage): Promise<IterationJson> => {
      for (const s of IMPROVE_STAGES.slice(IMPROVE_STAGES.indexOf(from) + 1)) await stage(s, "skipped");
      out.reason = reason;
      return out;
    };

    let patch: Patch;
    try {
      patch = await req.model.propose({ ...preq, prompt });
    } catch (err) {
      await stage("patch", "model failed");
      return reject(`the model gave no usable patch: ${err instanceof Error ? err.message : String(err)}`, "patch");
    }
    const record = (p: Patch) => {
      out.patch = { summary: p.summary, rationale: p.rationale, model: req.model.id, usage: p.usage ?? null };
      out.code = p.source;
      out.diff = unifiedDiff(current.code, p.source);
    };
    record(patch);
    await stage("patch", patch.summary);

    // ---- checks: static (sandbox rules), the strategy loads, no look-ahead; one repair attempt
    let errors = await checks(patch.source);
    if (errors.length && req.model.repair) {
      out.checks.static_errors = errors;
      try {
        const fixed = await req.model.repair({
          iteration: i,
          source: patch.source,
          errors,
          prompt: repairPrompt(patch.source, errors),
        });
        const e2 = await checks(fixed.source);
        out.checks.repaired = true;
        if (e2.length === 0) {
          patch = { ...fixed, summary: `${patch.summary} (repaired)`, usage: sumUsage(patch.usage, fixed.usage) };
          record(patch);
        }
        errors = e2;
      } catch (err) {
        errors = [...errors, `repair failed: ${err instanceof Error ? err.message : String(err)}`];
      }
    }
    if (errors.length) {
      out.checks.static_errors = errors;
      out.checks.look_ahead = errors.some((e) => e.includes("look-ahead")) ? false : out.checks.look_ahead;
      await stage("checks", `failed: ${errors[0]}`);
      return reject(`rejected by the checks: ${errors.join("; ")}`, "checks");
    }
    out.checks = { ...out.checks, look_ahead: true, passed: true };
    await stage("checks", out.checks.repaired ? "passed after repair" : "passed");
    if (req.isCancelled?.()) return reject("cancelled", "checks");

    // ---- a short parameter study on train, its best backtested on validation
    const info = await req.runner.inspect(patch.source);
    const start = resolveParams(info.params, {}) as Params;
    const study = studySchema.parse({
      method: "tpe",
      ranges: studyRanges(info.params, start),
      objectives: [{ metric: "sortino", direction: "maximize" }],
      trials: budget,
      seed: (seed * 7919 + i) % 2 ** 31,
      holdout: validationShare,
      pruner: "none",
      ...(thresholds.minTrades > 0
        ? { min_trades: Math.max(1, Math.round(thresholds.minTrades * (v / (h - v) || 1))) }
        : {}),
    });
    const r = await runOptimize({
      ...common,
      source: patch.source,
      universe: visible,
      study,
      clock: req.clock,
      isCancelled: req.isCancelled,
    });
    cp.n_trials += r.n_trials;
    for (const t of r.trials) {
      const sh = t.metrics?.sharpe;
      const ppy = t.metrics?.periods_per_year;
      if (t.state === "complete" && sh !== null && sh !== undefined && ppy) cp.trial_sharpes.push(sh / Math.sqrt(ppy));
    }
    out.study = {
      n_trials: r.n_trials,
      n_complete: r.n_complete,
      best_params: r.best?.params ?? null,
      in_sample: r.best?.in_sample.metrics ?? null,
    };
    await stage("parameter_study", `${r.n_trials} trials`);
    if (!r.best || !r.best.out_of_sample)
      return reject("the parameter study found no feasible parameter set on train", "parameter_study");

    out.params = r.best.params;
    out.code = withDefaults(patch.source, r.best.params);
    out.diff = unifiedDiff(current.code, out.code);
    out.validation = { period: periods.validation, metrics: r.best.out_of_sample.metrics };
    cp.shapes[i] = shapeOf(r.best.out_of_sample.equity);
    out.failed_constraints = failedConstraints(out.validation.metrics, thresholds);
    await stage("validation", `Sortino ${fmt(out.validation.metrics?.sortino ?? null)}`);

    // ---- decision on validation
    const imp = relativeImprovement(out.validation.metrics?.sortino ?? null, current.metrics?.sortino ?? null);
    out.improvement = imp === null || Number.isFinite(imp) ? imp : null;
    const met = out.failed_constraints.length === 0;
    out.accepted = met || (imp !== null && imp >= improvementThreshold);
    out.reason = met
      ? "meets every threshold on validation"
      : imp === null
        ? "the validation Sortino is undefined (no trades or no downside)"
        : out.accepted
          ? `validation Sortino ${fmt(current.metrics?.sortino ?? null)} → ${fmt(out.validation.metrics?.sortino ?? null)} (improvement ${Number.isFinite(imp) ? fmt(imp) : "from undefined"} ≥ ${improvementThreshold})`
          : `improvement ${fmt(imp)} below the threshold ${improvementThreshold} (validation Sortino ${fmt(current.metrics?.sortino ?? null)} → ${fmt(out.validation.metrics?.sortino ?? null)})`;
    if (out.accepted) {
      out.version = req.saveVersion
        ? await req.saveVersion({
            iteration: i,
            source: out.code,
            params: out.params,
            parent: current.version,
            diff: out.diff,
            patch,
            prompt,
            model: req.model.id,
          })
        : `iteration-${i}`;
    }
    await stage("decision", out.accepted ? "accepted" : "rejected");
    return out;
  }

  async function checks(source: string): Promise<string[]> {
    const errors = req.checkSource(source);
    if (errors.length) return errors;
    try {
      const bt = await runBacktest({ ...common, source, universe: train.slice(0, 2), params: {} });
      return bt.trustworthy
        ? []
        : ["the look-ahead check found signals that change when later bars are removed (reads future bars)"];
    } catch (err) {
      return [`the strategy does not run: ${err instanceof Error ? err.message : String(err)}`];
    }
  }

  // ---- best by validation (met first, then Sortino), then the holdout, seen for the first time
  const candidates = [
    {
      n: 0,
      code: req.source,
      params: base.params,
      version: req.baseVersion ?? null,
      metrics: base.metrics as Record<string, number | null> | null,
    },
  ];
  for (const it of cp.iterations)
    if (it.accepted)
      candidates.push({
        n: it.n,
        code: it.code,
        params: it.params,
        version: it.version,
        metrics: it.validation.metrics,
      });
  const key = (c: (typeof candidates)[number]): [number, number] => [
    failedConstraints(c.metrics, thresholds).length === 0 ? 1 : 0,
    c.metrics?.sortino ?? -Infinity,
  ];
  const best = candidates.reduce((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return kb[0] > ka[0] || (kb[0] === ka[0] && kb[1] > ka[1]) ? b : a;
  });

  await emit({ type: "holdout" });
  const onHoldout = async (source: string, params: Params): Promise<WindowMetrics> => {
    if (h >= n) return { period: null, metrics: null };
    const bt = await runBacktest({
      ...common,
      source,
      universe: req.universe,
      params: params as RawParams,
      fromMs: holdoutStartMs,
      lookAhead: false,
    });
    return { period: periods.holdout, metrics: pick(bt.performance_metrics) };
  };
  const baseHoldout = await onHoldout(req.source, base.params);
  const bestHoldout = best.n === 0 ? baseHoldout : await onHoldout(best.code, best.params);

  const shape = cp.shapes[best.n];
  let dsr = NaN;
  let psr = NaN;
  let sr0 = NaN;
  if (shape && cp.trial_sharpes.length >= 2) {
    const m = cp.trial_sharpes.reduce((a, b) => a + b, 0) / cp.trial_sharpes.length;
    const variance = cp.trial_sharpes.reduce((a, b) => a + (b - m) ** 2, 0) / (cp.trial_sharpes.length - 1);
    const d = deflatedSharpeRatio({ ...shape, nTrials: cp.n_trials, sharpeVariance: variance });
    dsr = d.dsr;
    sr0 = d.expectedMaxSharpe;
  }
  if (shape) psr = probabilisticSharpeRatio(shape);
  const nul = (x: number) => (Number.isFinite(x) ? x : null);
  const unmet = failedConstraints(best.metrics, thresholds);
  const status = unmet.length === 0 ? "met" : "not_met";
  return {
    execution_mode: "improve",
    status,
    objective: "sortino",
    thresholds,
    improvement_threshold: improvementThreshold,
    model: req.model.id,
    periods,
    baseline: {
      code: req.source,
      params: base.params,
      validation: { period: periods.validation, metrics: base.metrics },
      holdout: baseHoldout,
      failed_constraints: failedConstraints(base.metrics, thresholds),
    },
    iterations: cp.iterations,
    best: {
      iteration: best.n,
      version: best.version,
      code: best.code,
      params: best.params,
      validation: { period: periods.validation, metrics: best.metrics },
      holdout: bestHoldout,
    },
    unmet_constraints: unmet,
    overfitting: {
      n_trials: cp.n_trials,
      dsr: nul(dsr),
      psr: nul(psr),
      expected_max_sharpe: nul(sr0),
      sentence: overfittingSentence({ n_trials: cp.n_trials, dsr: nul(dsr), pbo: null }),
    },
    prompt_proposal: null,
    stop_reason: stopReason === "iterations" && status === "met" ? "met" : stopReason,
    warnings: [],
  };
}

function fmt(x: number | null): string {
  return x === null || !Number.isFinite(x) ? "n/a" : x.toFixed(3);
}

function sumUsage(a: Patch["usage"], b: Patch["usage"]): Patch["usage"] {
  if (!a) return b;
  if (!b) return a;
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}
