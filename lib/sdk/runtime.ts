/**
 * The module user strategies import as `@strategy-lab/sdk`. The sandbox bundles this file
 * and evaluates it inside each isolate, so it imports only pure lib/ code (no Node APIs).
 */
import { ta } from "../indicators/index";
import { StrategyDefinitionError, validateParamSpecs } from "./params";
import type { ParamSpecs, StrategyDefinition } from "./types";

export { ta };
export { and, or, not, mask, fill, ffill, where, barsSince, clamp } from "./helpers";

/** Macro series ids a strategy may declare (FRED's spelling), and how many. */
const MACRO_ID = /^[A-Z0-9_]{1,40}$/;
const MAX_MACRO_SERIES = 16;

/**
 * Declare a strategy. Checks the definition's shape (name, params, signals function) and
 * returns it unchanged; a malformed definition throws a {@link StrategyDefinitionError}
 * that names the problem.
 */
export function defineStrategy<const P extends ParamSpecs>(def: StrategyDefinition<P>): StrategyDefinition<P> {
  if (typeof def !== "object" || def === null) throw new StrategyDefinitionError("defineStrategy() needs an object");
  if (typeof def.name !== "string" || def.name.trim() === "")
    throw new StrategyDefinitionError("the strategy needs a non-empty string `name`");
  if (def.description !== undefined && typeof def.description !== "string")
    throw new StrategyDefinitionError("`description` must be a string");
  validateParamSpecs(def.params ?? {});
  if (def.fundamentals !== undefined && typeof def.fundamentals !== "boolean")
    throw new StrategyDefinitionError("`fundamentals` must be true or false");
  if (
    def.macro !== undefined &&
    (!Array.isArray(def.macro) ||
      def.macro.length > MAX_MACRO_SERIES ||
      !def.macro.every((id) => typeof id === "string" && MACRO_ID.test(id)))
  )
    throw new StrategyDefinitionError(
      `\`macro\` must be a list of at most ${MAX_MACRO_SERIES} series ids (upper-case letters, digits and _, e.g. "DGS10")`,
    );
  if (typeof def.signals !== "function")
    throw new StrategyDefinitionError("the strategy needs a `signals(bars, params, ta)` function");
  return { ...def, params: def.params ?? ({} as P) };
}
