/** Shapes of the improvement loop: the model step it is given and the result it returns. */
import type { Params } from "@/lib/optimize/space";
import type { FailedConstraint, Thresholds } from "./constraints";
import type { MarketRegime } from "./regime";

/** The stages of every iteration, in this order. */
export const IMPROVE_STAGES = [
  "market_regime",
  "diagnosis",
  "patch",
  "checks",
  "parameter_study",
  "validation",
  "decision",
] as const;
export type ImproveStage = (typeof IMPROVE_STAGES)[number];

/** What the model is told: the current version, its validation metrics and every failing constraint with its gap. */
export interface Diagnosis {
  metrics: Record<string, number | null> | null;
  failed_constraints: FailedConstraint[];
  thresholds: Thresholds;
}

export interface PatchRequest {
  iteration: number;
  source: string;
  params: Params;
  regime: MarketRegime;
  diagnosis: Diagnosis;
  /** The improvement prompt (lib/improve/prompt.ts) built from the above. */
  prompt: string;
  /** Earlier iterations: what was tried and what came of it. */
  history: Array<{ n: number; summary: string; accepted: boolean; reason: string }>;
}

/** A proposed new version: full source plus what changed and why. */
export interface Patch {
  source: string;
  summary: string;
  rationale: string;
  usage?: { inputTokens: number; outputTokens: number };
}

export interface RepairRequest {
  iteration: number;
  source: string;
  errors: string[];
  prompt: string;
}

/** The model step. Offline (deterministic edits) or a hosted model; it only ever returns strategy source. */
export interface ImproveModel {
  /** e.g. "offline:template", "openai:gpt-5-mini". */
  id: string;
  propose(req: PatchRequest): Promise<Patch>;
  /** Fix a patch that failed the checks; absent = no repair attempt. */
  repair?(req: RepairRequest): Promise<Patch>;
}

/** Metrics of one window. */
export interface WindowMetrics {
  period: { from: string; to: string; bars: number } | null;
  metrics: Record<string, number | null> | null;
}

export interface IterationJson {
  n: number;
  stages: ImproveStage[];
  /** The version this iteration started from (its backtest is the diagnosis). */
  base_version: string | null;
  /** The version this iteration produced (null when rejected). */
  version: string | null;
  regime: MarketRegime;
  diagnosis: Diagnosis & { prompt: string };
  patch: {
    summary: string;
    rationale: string;
    model: string;
    usage: { inputTokens: number; outputTokens: number } | null;
  } | null;
  diff: string;
  checks: { static_errors: string[]; look_ahead: boolean | null; repaired: boolean; passed: boolean };
  study: {
    n_trials: number;
    n_complete: number;
    best_params: Params | null;
    in_sample: Record<string, number | null> | null;
  } | null;
  validation: WindowMetrics;
  failed_constraints: FailedConstraint[];
  /** Relative improvement of the validation objective over the best so far. */
  improvement: number | null;
  accepted: boolean;
  reason: string;
  /** The candidate's full source and params (what `best.code` is taken from). */
  code: string;
  params: Params;
}

export interface ImproveResult {
  execution_mode: "improve";
  status: "met" | "not_met";
  objective: "sortino";
  thresholds: Thresholds;
  improvement_threshold: number;
  model: string;
  periods: { train: WindowMetrics["period"]; validation: WindowMetrics["period"]; holdout: WindowMetrics["period"] };
  baseline: {
    code: string;
    params: Params;
    validation: WindowMetrics;
    holdout: WindowMetrics;
    failed_constraints: FailedConstraint[];
  };
  iterations: IterationJson[];
  best: {
    /** 0 = the original version (no iteration beat it). */
    iteration: number;
    version: string | null;
    code: string;
    params: Params;
    validation: WindowMetrics;
    holdout: WindowMetrics;
  };
  unmet_constraints: FailedConstraint[];
  overfitting: {
    n_trials: number;
    dsr: number | null;
    psr: number | null;
    expected_max_sharpe: number | null;
    sentence: string;
  };
  prompt_proposal: null | { text: string; rationale: string };
  stop_reason: "met" | "iterations" | "cancelled" | "time_limit";
  warnings: string[];
}
