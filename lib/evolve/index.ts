/** Evolutionary search over rule plans (see ./README.md). Pure: randomness comes from a seed. */
import { parsePlan } from "../rules/parse/parse";
import { generateCode, type RulePlan } from "../rules";
import { isCodeGenome, type Genome } from "./genome";

export * from "./genome";
export * from "./fitness";
export * from "./evolve";
export * from "./lineage";

/** Requests whose plans seed a population when no seed strategy is given (one of each family). */
export const DEFAULT_SEED_REQUESTS = [
  "Buy when the 50-day SMA crosses above the 200-day SMA and sell on the reverse cross",
  "Buy when RSI(14) is below 30; exit when RSI is above 55",
  "Buy when the close is 2 standard deviations below its 20-day mean and exit back at the mean",
  "Breakout above the 55-day high with a 2 ATR trailing stop",
];

/** The SDK code of a genome: a plan's generated code, or a code genome's own (unchanged) code. */
export function genomeCode(g: Genome): string {
  return isCodeGenome(g) ? g.source : generateCode(g);
}

/** The default seed plans. */
export function defaultSeedPlans(): RulePlan[] {
  return DEFAULT_SEED_REQUESTS.map((r) => {
    const p = parsePlan(r).plan;
    if (!p) throw new Error(`default seed request has no plan: ${r}`);
    return p;
  });
}
