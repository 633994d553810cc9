/**
 * Search spaces: distributions per parameter, derived from a strategy's declared params with
 * per-study overrides (ranges, steps, log scale, choices), constraints between params, and the
 * grid those distributions span.
 */
import type { ParamSpec, ParamSpecs } from "../sdk/types";
import { type Constraint, ConstraintError, parseConstraint, satisfiesAll } from "./constraint";

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

/** A float in [low, high]; with `step`, on low + k·step; with `log`, sampled on a log scale. */
export interface FloatDistribution {
  type: "float";
  low: number;
  high: number;
  step?: number;
  log?: boolean;
}
/** An integer in [low, high] on low + k·step (step ≥ 1); `log` samples on a log scale (step must be 1). */
export interface IntDistribution {
  type: "int";
  low: number;
  high: number;
  step: number;
  log?: boolean;
}
/** One of a list of values (booleans and enums). */
export interface CategoricalDistribution {
  type: "categorical";
  choices: readonly ParamValue[];
}
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

export interface SearchSpace {
  /** Searched parameters, in declaration order. */
  names: string[];
  dists: Record<string, Distribution>;
  /** Parameters held at a fixed value (not searched). */
  fixed: Params;
  constraints: Constraint[];
}

/** A study input that does not make a valid search space; `field` names the offending input. */
export class SpaceError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "SpaceError";
  }
}

/** A user-edited range for one parameter (`--range name=min:max[:step][:log]`). */
export interface RangeOverride {
  name: string;
  min: number;
  max: number;
  step?: number;
  log?: boolean;
}
/** A user-chosen list of values for one parameter (`--choice name=a,b`). */
export interface ChoiceOverride {
  name: string;
  choices: ParamValue[];
}

export interface SpaceInput {
  ranges?: RangeOverride[];
  choices?: ChoiceOverride[];
  constraints?: string[];
  /** Values for parameters outside the search (default: each declaration's default). */
  fixed?: Params;
}

function distFromSpec(name: string, spec: ParamSpec): Distribution {
  switch (spec.type) {
    case "int":
      return { type: "int", low: spec.min, high: spec.max, step: spec.step ?? 1 };
    case "float":
      return { type: "float", low: spec.min, high: spec.max, ...(spec.step !== undefined ? { step: spec.step } : {}) };
    case "boolean":
      return { type: "categorical", choices: [false, true] };
    case "enum":
      return { type: "categorical", choices: [...spec.options] };
  }
  throw new SpaceError(`range.${name}`, `param "${name}" has an unknown type`);
}

const EPS = 1e-9;

function rangeDist(r: RangeOverride, spec: ParamSpec): Distribution {
  const field = `range.${r.name}`;
  const fail = (m: string): never => {
    throw new SpaceError(field, `range for "${r.name}": ${m}`);
  };
  if (spec.type !== "int" && spec.type !== "float")
    return fail(`"${r.name}" is a ${spec.type}; use a choice list instead`);
  if (!Number.isFinite(r.min) || !Number.isFinite(r.max)) fail("min and max must be numbers");
  if (r.min > r.max) fail(`min ${r.min} is greater than max ${r.max}`);
  if (r.step !== undefined && !(Number.isFinite(r.step) && r.step > 0))
    fail(`step must be greater than 0, got ${r.step}`);
  if (r.min < spec.min - EPS || r.max > spec.max + EPS)
    fail(`[${r.min}, ${r.max}] lies outside the declared range [${spec.min}, ${spec.max}]`);
  if (r.log && r.min <= 0) fail("a log-scale range needs min > 0");
  if (spec.type === "int") {
    if (!Number.isInteger(r.min) || !Number.isInteger(r.max)) fail("min and max of an int param must be integers");
    const step = r.step ?? 1;
    if (!Number.isInteger(step)) fail("step of an int param must be an integer");
    if (r.log && step !== 1) fail("a log-scale int range takes no step");
    return { type: "int", low: r.min, high: r.max, step, ...(r.log ? { log: true } : {}) };
  }
  if (r.log && r.step !== undefined) fail("a log-scale range takes no step");
  return {
    type: "float",
    low: r.min,
    high: r.max,
    ...(r.step !== undefined ? { step: r.step } : {}),
    ...(r.log ? { log: true } : {}),
  };
}

/**
 * The search space of a study. With no ranges and no choices, every declared parameter is
 * searched over its declared range; otherwise exactly the named ones, the rest held at `fixed`
 * or their defaults. Throws {@link SpaceError} naming the field.
 */
export function buildSearchSpace(specs: ParamSpecs, input: SpaceInput = {}): SearchSpace {
  const ranges = input.ranges ?? [];
  const choices = input.choices ?? [];
  const dists: Record<string, Distribution> = {};
  const seen = new Set<string>();
  for (const r of ranges) {
    const spec = specs[r.name];
    if (!spec)
      throw new SpaceError(
        `range.${r.name}`,
        `range for "${r.name}": the strategy has no such param (params: ${Object.keys(specs).join(", ")})`,
      );
    if (seen.has(r.name)) throw new SpaceError(`range.${r.name}`, `"${r.name}" is given more than once`);
    seen.add(r.name);
    dists[r.name] = onGrid(rangeDist(r, spec));
  }
  for (const c of choices) {
    const spec = specs[c.name];
    const field = `choice.${c.name}`;
    if (!spec) throw new SpaceError(field, `choice for "${c.name}": the strategy has no such param`);
    if (seen.has(c.name)) throw new SpaceError(field, `"${c.name}" is given more than once`);
    seen.add(c.name);
    if (c.choices.length === 0) throw new SpaceError(field, `choice for "${c.name}" is empty`);
    const vals: ParamValue[] = c.choices.map((raw) => {
      if (spec.type === "boolean") {
        if (raw === true || raw === "true" || raw === 1 || raw === "1") return true;
        if (raw === false || raw === "false" || raw === 0 || raw === "0") return false;
        throw new SpaceError(field, `choice for "${c.name}": ${JSON.stringify(raw)} is not true or false`);
      }
      if (spec.type === "enum") {
        if (typeof raw !== "string" || !spec.options.includes(raw))
          throw new SpaceError(
            field,
            `choice for "${c.name}": ${JSON.stringify(raw)} is not one of ${spec.options.join(", ")}`,
          );
        return raw;
      }
      const n = typeof raw === "number" ? raw : Number(raw);
      if (!Number.isFinite(n) || n < spec.min || n > spec.max || (spec.type === "int" && !Number.isInteger(n)))
        throw new SpaceError(
          field,
          `choice for "${c.name}": ${JSON.stringify(raw)} is not a valid ${spec.type} in [${spec.min}, ${spec.max}]`,
        );
      return n;
    });
    dists[c.name] = { type: "categorical", choices: [...new Set(vals)] };
  }
  if (ranges.length === 0 && choices.length === 0)
    for (const [name, spec] of Object.entries(specs)) dists[name] = onGrid(distFromSpec(name, spec));
  const names = Object.keys(specs).filter((n) => n in dists);
  const fixed: Params = {};
  for (const [name, spec] of Object.entries(specs))
    if (!(name in dists)) fixed[name] = input.fixed?.[name] ?? spec.default;
  const all = Object.keys(specs);
  const constraints = (input.constraints ?? []).map((src, i) => {
    try {
      return parseConstraint(src, all);
    } catch (e) {
      if (e instanceof ConstraintError) throw new SpaceError(`constraint[${i}]`, e.message);
      throw e;
    }
  });
  if (names.length === 0) throw new SpaceError("range", "nothing to search: the strategy declares no params");
  return { names, dists, fixed, constraints };
}

/** Moves `high` down onto the step grid low + k·step, as Optuna does. */
function onGrid<D extends Distribution>(d: D): D {
  if (d.type === "categorical" || d.step === undefined) return d;
  const k = Math.floor((d.high - d.low) / d.step + 1e-9);
  const high = d.low + k * d.step;
  return { ...d, high: d.type === "int" ? Math.round(high) : Number(high.toPrecision(12)) };
}

/** The grid values of one distribution; throws for a float without a step. */
export function gridValues(name: string, d: Distribution): ParamValue[] {
  if (d.type === "categorical") return [...d.choices];
  if (d.type === "float" && d.step === undefined)
    throw new SpaceError(
      `range.${name}`,
      `range for "${name}": a grid needs a step for a float param (name=min:max:step)`,
    );
  const step = d.step!;
  const n = Math.floor((d.high - d.low) / step + 1e-9) + 1;
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = d.low + k * step;
    out.push(d.type === "int" ? Math.round(v) : Number(v.toPrecision(12)));
  }
  return out;
}

/** Number of grid points before constraints (the product of every param's count). */
export function gridSize(space: SearchSpace): number {
  let n = 1;
  for (const name of space.names) n *= gridValues(name, space.dists[name]).length;
  return n;
}

/** Full parameter set: searched values plus the fixed ones. */
export function withFixed(space: SearchSpace, p: Params): Params {
  return { ...space.fixed, ...p };
}

/** True when a searched parameter set satisfies every constraint. */
export function feasible(space: SearchSpace, p: Params): boolean {
  return space.constraints.length === 0 || satisfiesAll(space.constraints, withFixed(space, p));
}

/**
 * Every grid point that satisfies the constraints, in mixed-radix order (the last param varies
 * fastest). Throws {@link SpaceError} (field `grid`) when the product exceeds `limit`, saying the limit.
 */
export function enumerateGrid(space: SearchSpace, limit = Infinity): Params[] {
  const axes = space.names.map((n) => gridValues(n, space.dists[n]));
  const total = axes.reduce((s, a) => s * a.length, 1);
  if (total > limit)
    throw new SpaceError(
      "grid",
      `the grid has ${total.toLocaleString("en-US")} combinations, over the limit of ${limit.toLocaleString("en-US")}; narrow the ranges or raise the steps`,
    );
  const out: Params[] = [];
  const idx = new Array<number>(axes.length).fill(0);
  for (let c = 0; c < total; c++) {
    const p: Params = {};
    for (let i = 0; i < axes.length; i++) p[space.names[i]] = axes[i][idx[i]];
    if (feasible(space, p)) out.push(p);
    for (let i = axes.length - 1; i >= 0; i--) {
      if (++idx[i] < axes[i].length) break;
      idx[i] = 0;
    }
  }
  return out;
}

/** Internal (numeric) representation: categorical → index of the choice. */
export function toInternal(d: Distribution, v: ParamValue): number {
  if (d.type === "categorical") return d.choices.indexOf(v);
  return v as number;
}
export function fromInternal(d: Distribution, x: number): ParamValue {
  if (d.type === "categorical") return d.choices[Math.round(x)];
  if (d.type === "int") return Math.round(x);
  return x;
}

/** Rounds a value onto a numeric distribution's step grid and clips it to [low, high]. */
export function snap(d: IntDistribution | FloatDistribution, x: number): number {
  let v = x;
  if (d.step !== undefined) v = d.low + Math.round((v - d.low) / d.step) * d.step;
  v = Math.min(d.high, Math.max(d.low, v));
  if (d.type === "int") return Math.round(v);
  return d.step !== undefined ? Number(v.toPrecision(12)) : v;
}
