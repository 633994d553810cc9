/**
 * The genome of the evolutionary search is a rule plan (lib/rules). Its genes are the plan's
 * tunable numbers (`tunables(plan)`), each with a declared range: the range the code generator
 * declares for that param around the seed strategy's value (`rangeAround`), which always lies
 * inside the rule language's hard bounds (`BOUNDS`). Ranges are fixed at the seed, so a lineage
 * cannot drift out of them generation after generation.
 *
 * A genome may also be SDK code (`CodeGenome`, generated or hand-written): its genes are the
 * int and float params the code declares (`params: { fast: { type: "int", min, max, … } }`), each
 * inside its declared range (a declared `step` is kept on the grid from `min`); the code itself
 * never changes, only the param values it is run with. Boolean and enum params keep the seed's value.
 */
import { rangeAround, tunables, type BoundKind, type RulePlan } from "../rules";
import type { Rng } from "../data/rng";
import type { ParamSpecs } from "../sdk/types";

/** A strategy in SDK code whose declared params evolve; `params` are the values it runs with. */
export interface CodeGenome {
  kind: "code";
  name: string;
  source: string;
  specs: ParamSpecs;
  params: Record<string, number | boolean | string>;
}

/** What the search breeds: a rule plan or SDK code with its param values. */
export type Genome = RulePlan | CodeGenome;

export function isCodeGenome(g: Genome): g is CodeGenome {
  return (g as CodeGenome).kind === "code";
}

/** A code seed: the code with its declared defaults. */
export function codeGenome(name: string, source: string, specs: ParamSpecs): CodeGenome {
  const params: CodeGenome["params"] = {};
  for (const [k, spec] of Object.entries(specs)) params[k] = spec.default;
  return { kind: "code", name, source, specs, params };
}

/** One mutable number of a genome and the range it may take. */
export interface Gene {
  path: (string | number)[];
  /** The rule language's bound kind (rule plans only). */
  bound?: BoundKind;
  min: number;
  max: number;
  int: boolean;
  /** Grid of a declared `step` (code params): values stay at min + k·step. */
  step?: number;
}

/** The genes of a seed: every tunable with its declared range. */
export function genesOf(seed: Genome): Gene[] {
  if (isCodeGenome(seed)) {
    const out: Gene[] = [];
    for (const [k, spec] of Object.entries(seed.specs)) {
      if (spec.type !== "int" && spec.type !== "float") continue;
      if (!(spec.max > spec.min)) continue;
      out.push({
        path: ["params", k],
        min: spec.min,
        max: spec.max,
        int: spec.type === "int",
        step: spec.step && spec.step > 0 ? spec.step : undefined,
      });
    }
    return out;
  }
  return tunables(seed).map((t) => {
    const r = rangeAround(t.value, t.bound);
    return { path: t.path, bound: t.bound, min: r.min, max: r.max, int: r.int };
  });
}

/**
 * A deep copy that shares nothing, not even between its own branches: a parsed plan may use one
 * series object in both entry and exit ("sell on the reverse cross"), and each is its own gene.
 */
export function clonePlan<G extends Genome>(plan: G): G {
  return JSON.parse(JSON.stringify(plan)) as G;
}

/** The value at `path` inside a plan (undefined when the path does not exist). */
export function getAt(plan: Genome, path: (string | number)[]): number {
  let node: unknown = plan;
  for (const key of path) node = node == null ? undefined : (node as Record<string | number, unknown>)[key];
  return node as number;
}

/** A copy of the plan with `path` set to `value` (the plan itself is not changed). */
export function setAt<G extends Genome>(plan: G, path: (string | number)[], value: number): G {
  const copy = clonePlan(plan);
  let node = copy as unknown as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

function setInPlace(plan: Genome, path: (string | number)[], value: number): void {
  let node = plan as unknown as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}

/** Canonical text of a genome: identical genomes (same structure, same numbers) have the same key. */
export function genomeKey(plan: Genome): string {
  return JSON.stringify(plan);
}

/** The plan's structure without its numbers: only genomes of one shape can cross over. */
export function shapeKey(plan: Genome): string {
  if (isCodeGenome(plan)) return JSON.stringify({ kind: "code", name: plan.name, source: plan.source });
  const shaped = clonePlan(plan);
  for (const t of tunables(plan)) setInPlace(shaped, t.path, 0);
  return JSON.stringify(shaped);
}

function clampToGene(x: number, g: Gene): number {
  let v = Math.min(g.max, Math.max(g.min, x));
  if (g.step) {
    v = g.min + Math.round((v - g.min) / g.step) * g.step;
    if (v > g.max + 1e-12) v -= g.step;
  }
  return g.int ? Math.round(v) : Number(v.toPrecision(6));
}

/**
 * Mutation: each gene, independently with probability `rate`, moves by a normal step of a tenth
 * of its range (at least 1 for integers), clamped to the range. Returns the child and how many
 * genes were chosen for mutation.
 */
export function mutate<G extends Genome>(plan: G, genes: Gene[], rate: number, rng: Rng): { plan: G; mutated: number } {
  const child = clonePlan(plan);
  let mutated = 0;
  for (const g of genes) {
    if (!(rng.uniform() < rate)) continue;
    mutated += 1;
    const value = getAt(child, g.path);
    const width = g.max - g.min;
    let next = clampToGene(value + rng.normal() * width * 0.1, g);
    if (next === value && width > 0) {
      // A step that rounds back to the same value: move to a neighbour inside the range.
      const step = g.step ?? (g.int ? 1 : width * 0.01);
      next = clampToGene(value + (value + step <= g.max ? step : -step), g);
    }
    setInPlace(child, g.path, next);
  }
  return { plan: child, mutated };
}

/** Uniform crossover of two parents of one shape: each gene comes from one parent or the other (even odds). */
export function crossover<G extends Genome>(a: G, b: G, genes: Gene[], rng: Rng): G {
  const child = clonePlan(a);
  for (const g of genes) if (rng.uniform() < 0.5) setInPlace(child, g.path, getAt(b, g.path));
  return child;
}

/** True when every gene of the plan lies inside its declared range. */
export function withinRanges(plan: Genome, genes: Gene[]): boolean {
  return genes.every((g) => {
    const v = getAt(plan, g.path);
    return v >= g.min && v <= g.max && (!g.int || Number.isInteger(v));
  });
}
