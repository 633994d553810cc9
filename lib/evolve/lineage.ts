/**
 * Lineage as a family tree: an individual with its parents, their parents and so on back to the
 * seeds (or `depth` generations), read from the stored generations (each individual's `parents`
 * are ids of the generation before it).
 */
import type { EvolveOperator } from "./evolve";

export interface LineageIndividual {
  id: string;
  parents: string[];
  operator: EvolveOperator;
  fitness: number;
}

export interface FamilyNode {
  id: string;
  generation: number;
  operator: EvolveOperator;
  fitness: number;
  parents: FamilyNode[];
}

/** The family tree of `id` (null when no generation holds it). */
export function familyTree(
  generations: { n: number; individuals: LineageIndividual[] }[],
  id: string,
  depth = 6,
): FamilyNode | null {
  const where = generations.findIndex((g) => g.individuals.some((x) => x.id === id));
  if (where < 0) return null;
  const build = (gi: number, xid: string, left: number): FamilyNode | null => {
    const x = generations[gi]?.individuals.find((i) => i.id === xid);
    if (!x) return null;
    const parents =
      left > 0 && gi > 0
        ? x.parents.map((p) => build(gi - 1, p, left - 1)).filter((n): n is FamilyNode => n !== null)
        : [];
    return { id: x.id, generation: generations[gi].n, operator: x.operator, fitness: x.fitness, parents };
  };
  return build(where, id, depth);
}
