/**
 * Client-side shapes of what the Lab receives from the server: the routers' inferred outputs
 * (type-only, so the browser bundle stays free of server code).
 */
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import type { BacktestResult } from "@/components/runs/types";

type Outputs = inferRouterOutputs<AppRouter>;
type Yielded<T> = T extends AsyncIterable<infer Y> ? Y : T;

/** One event of the generation stream (`generation.generate`). */
export type GenerationEvent = Yielded<Outputs["generation"]["generate"]>;
/** A model the picker offers (no key material). */
export type ModelInfo = Outputs["providers"]["models"]["models"][number];
/** A problem in edited code, with its line and column (`generation.validate`). */
export type CodeProblem = Outputs["generation"]["validate"]["errors"][number];

export type { BacktestResult };

/** A parameter declaration as the sandbox reports it (plain JSON). */
export type ParamSpecJson =
  | { type: "int" | "float"; min: number; max: number; step?: number; default: number; description?: string }
  | { type: "boolean"; default: boolean; description?: string }
  | { type: "enum"; options: string[]; default: string; description?: string };

export type ParamValues = Record<string, number | boolean | string>;
