/** Strategy SDK: the types user code sees, parameter resolution, and the runtime helpers. */
export * from "./types";
export { ParamError, StrategyDefinitionError, resolveParams, defaultParams, validateParamSpecs } from "./params";
export { defineStrategy, ta, and, or, not, mask, fill, ffill, where, barsSince, clamp } from "./runtime";
export type { SignalArrays } from "../engine/signals";
