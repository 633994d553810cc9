/**
 * An evolution as the CLI, REST and the job queue accept it (one schema; the run kind `evolve`
 * carries it). Field names are the CLI's flags in snake_case.
 */
import { z } from "zod";
import { rulePlan } from "@/lib/rules";

/** Most generations one evolution run may breed. */
export const MAX_GENERATIONS = 200;
/** Largest population. */
export const MAX_POPULATION = 500;

const rate = (name: string) =>
  z
    .number({ message: `${name} must be a number` })
    .min(0, `${name} must be between 0 and 1`)
    .max(1, `${name} must be between 0 and 1`);

export const evolveSchema = z
  .object({
    population: z
      .number()
      .int("population must be a whole number")
      .min(2, "population must be at least 2")
      .max(MAX_POPULATION, `population must be at most ${MAX_POPULATION}`)
      .default(20),
    generations: z
      .number()
      .int("generations must be a whole number")
      .min(1, "generations must be at least 1")
      .max(MAX_GENERATIONS, `generations must be at most ${MAX_GENERATIONS}`)
      .default(10),
    mutation_rate: rate("mutation_rate").default(0.3),
    crossover_rate: rate("crossover_rate").default(0.4),
    seed: z
      .number()
      .int("seed must be a whole number")
      .min(0)
      .max(2 ** 32 - 1)
      .default(42),
    min_trades: z.number().int().min(0).max(100_000).default(10),
    /** Rule plans that seed generation 0; empty = the default seeds (one of each family). */
    seed_plans: z.array(rulePlan).max(50).default([]),
  })
  .strict();

export type EvolveInput = z.input<typeof evolveSchema>;
export type EvolveSpec = z.output<typeof evolveSchema>;
