/**
 * The rule language (see ./README.md): zod schema of the blocks, the English parser, the code
 * generator, plain-English descriptions, a direct evaluator and a signal comparison.
 */
import { generateCode } from "./codegen";
import { describeRules } from "./describe";
import { parsePlan } from "./parse/parse";
import type { RulePlan } from "./schema";

export * from "./schema";
export { parsePlan, type ParsedPlan } from "./parse/parse";
export { normalizeRequest } from "./parse/normalize";
export { generateCode, strategyName } from "./codegen";
export { describeRules, describePlan, describeCondition, describeSeries } from "./describe";
export { evaluatePlan, type ExpectedSignals } from "./evaluate";
export {
  compareSignals,
  mergeComparisons,
  type ActualSignals,
  type Disagreement,
  type SignalComparison,
} from "./compare-signals";
export { tunables, rangeAround, type Tunable } from "./params";
export { formatPlan, formatCondition, formatSeries, sameReading } from "./format";

/** Requests the offline generator understands, shown when it understood nothing. */
export const UNDERSTOOD_EXAMPLES = [
  "Buy when the 50-day SMA crosses above the 200-day SMA and sell on the reverse cross",
  "Buy when RSI(14) is below 30 and volume is above 2x its 20-day average; exit when RSI is above 55",
  "Buy when the close is 2 standard deviations below its 20-day mean and exit back at the mean",
  "Buy after 3 consecutive down days and sell after 2 up days",
  "Buy stocks up more than 20% over 60 days with an 8% stop loss and a 25% take profit",
  "Breakout above the 55-day high with a 2 ATR trailing stop",
  "Gap up more than 3% on 1.5x average volume, hold for 5 days",
  "P/E below 15 and debt/equity under 0.5, ranked by lowest P/E",
  "breakout trading (a theme alone is read as its textbook rules, and says so)",
];

/** What the offline generator makes of a request: the plan, the rules in words, the code, and what it did not understand. */
export interface RuleGeneration {
  plan: RulePlan | null;
  /** The rules in plain English, one sentence each. */
  understood: string[];
  notUnderstood: string[];
  assumptions: string[];
  /** Null when no entry rule was understood (then `message` says so). */
  code: string | null;
  message: string | null;
}

/** Request → plan → code, reporting what was not understood. Deterministic. */
export function generateFromRequest(request: string): RuleGeneration {
  const parsed = parsePlan(request);
  if (!parsed.plan) {
    const heard =
      parsed.notUnderstood.length > 0
        ? ` Not understood: ${parsed.notUnderstood.map((s) => `"${s}"`).join(", ")}.`
        : "";
    return {
      plan: null,
      understood: [],
      notUnderstood: parsed.notUnderstood,
      assumptions: parsed.assumptions,
      code: null,
      message: `No strategy was written: the request has no entry rule the offline generator understands.${heard} It understands requests like: ${UNDERSTOOD_EXAMPLES.slice(
        0,
        4,
      )
        .map((e) => `"${e}"`)
        .join("; ")}.`,
    };
  }
  const code = generateCode(parsed.plan, { notUnderstood: parsed.notUnderstood });
  return {
    plan: parsed.plan,
    understood: describeRules(parsed.plan),
    notUnderstood: parsed.notUnderstood,
    assumptions: parsed.assumptions,
    code,
    message: null,
  };
}
