/**
 * Parameter declarations: checking a strategy's `params` block and resolving user-given
 * values (CLI strings, form values, optimizer trials) against it.
 */
import type { ParamSpec, ParamSpecs, ParamValues } from "./types";

/** A parameter value that does not fit its declaration, or a name that is not declared. */
export class ParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = "ParamError";
  }
}

/** A strategy definition whose shape is wrong (missing name, bad param declaration, no signals function). */
export class StrategyDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StrategyDefinitionError";
  }
}

/** Relative tolerance when checking that a float sits on its step grid. */
const STEP_TOLERANCE = 1e-9;

function isNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

function onStep(value: number, min: number, step: number): boolean {
  const k = (value - min) / step;
  return Math.abs(k - Math.round(k)) <= STEP_TOLERANCE * Math.max(1, Math.abs(k));
}

/** Throws {@link StrategyDefinitionError} when one declaration is malformed (e.g. min > max, default out of range). */
export function validateParamSpec(name: string, spec: unknown): asserts spec is ParamSpec {
  const fail = (what: string): never => {
    throw new StrategyDefinitionError(`param "${name}": ${what}`);
  };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail("name must be an identifier");
  if (typeof spec !== "object" || spec === null) fail("declaration must be an object");
  const s = spec as Record<string, unknown>;
  switch (s.type) {
    case "int":
    case "float": {
      if (!isNumber(s.min) || !isNumber(s.max)) fail("min and max must be finite numbers");
      const min = s.min as number;
      const max = s.max as number;
      if (min > max) fail(`min ${min} is greater than max ${max}`);
      if (s.step !== undefined && (!isNumber(s.step) || s.step <= 0)) fail("step must be a positive number");
      if (s.type === "int") {
        if (!Number.isInteger(min) || !Number.isInteger(max)) fail("min and max of an int must be integers");
        if (s.step !== undefined && !Number.isInteger(s.step)) fail("step of an int must be an integer");
      }
      if (!isNumber(s.default)) fail("default must be a finite number");
      checkNumber(name, s as unknown as ParamSpec & { type: "int" | "float" }, s.default as number, (m) =>
        fail(`default ${m}`),
      );
      return;
    }
    case "boolean":
      if (typeof s.default !== "boolean") fail("default of a boolean must be true or false");
      return;
    case "enum": {
      const options = s.options;
      if (!Array.isArray(options) || options.length === 0 || !options.every((o) => typeof o === "string"))
        fail("options must be a non-empty array of strings");
      if (!(options as string[]).includes(s.default as string))
        fail(`default must be one of ${(options as string[]).join(", ")}`);
      return;
    }
    default:
      fail(`type must be "int", "float", "boolean" or "enum", got ${JSON.stringify(s.type)}`);
  }
}

function checkNumber(
  name: string,
  spec: { type: "int" | "float"; min: number; max: number; step?: number },
  value: number,
  fail: (message: string) => never,
): void {
  if (spec.type === "int" && !Number.isInteger(value)) fail(`must be an integer, got ${value}`);
  if (value < spec.min || value > spec.max) fail(`must be between ${spec.min} and ${spec.max}, got ${value}`);
  const step = spec.step ?? (spec.type === "int" ? 1 : undefined);
  if (step !== undefined && !onStep(value, spec.min, step))
    fail(`must be ${spec.min} plus a multiple of step ${step}, got ${value}`);
}

/** Throws {@link StrategyDefinitionError} unless every declaration in `specs` is well formed. */
export function validateParamSpecs(specs: unknown): asserts specs is ParamSpecs {
  if (typeof specs !== "object" || specs === null || Array.isArray(specs))
    throw new StrategyDefinitionError("params must be an object of declarations");
  for (const [name, spec] of Object.entries(specs)) validateParamSpec(name, spec);
}

/** Every parameter at its declared default. */
export function defaultParams<P extends ParamSpecs>(specs: P): ParamValues<P> {
  const out: Record<string, number | boolean | string> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = spec.default;
  return out as ParamValues<P>;
}

function coerce(name: string, spec: ParamSpec, raw: string | number | boolean): number | boolean | string {
  const fail = (message: string): never => {
    throw new ParamError(name, `param "${name}" ${message}`);
  };
  switch (spec.type) {
    case "boolean":
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "1" || raw === 1) return true;
      if (raw === "false" || raw === "0" || raw === 0) return false;
      return fail(`must be true or false, got ${JSON.stringify(raw)}`);
    case "enum":
      if (typeof raw !== "string" || !spec.options.includes(raw))
        return fail(`must be one of ${spec.options.join(", ")}, got ${JSON.stringify(raw)}`);
      return raw;
    case "int":
    case "float": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return fail(`must be a number, got ${JSON.stringify(raw)}`);
      checkNumber(name, spec, n, fail);
      return n;
    }
  }
}

/**
 * Resolve given values against the declarations: defaults fill the gaps, strings are coerced
 * ("12" → 12, "true" → true), and an unknown name, a wrong type, an out-of-range or
 * off-step value throws a {@link ParamError} naming the parameter and the allowed values.
 */
export function resolveParams<P extends ParamSpecs>(
  specs: P,
  given: Record<string, string | number | boolean> = {},
): ParamValues<P> {
  const out: Record<string, number | boolean | string> = {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(specs, name)) {
      const known = Object.keys(specs);
      throw new ParamError(name, `unknown param "${name}" (known: ${known.length ? known.join(", ") : "none"})`);
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    out[name] = Object.hasOwn(given, name) ? coerce(name, spec, given[name]) : spec.default;
  }
  return out as ParamValues<P>;
}
