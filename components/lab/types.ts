/**
 * Client-side shapes of what the Lab receives from the server (type-only imports of the
 * server's event and result types keep the browser bundle free of server code).
 */
import type { GenerationEvent } from "@/server/ai/pipeline";
import type { ModelInfo } from "@/server/ai/providers";
import type { BacktestResult } from "@/components/runs/types";
import type { CodeProblem } from "@/server/ai/validate-code";

export type { BacktestResult, CodeProblem, GenerationEvent, ModelInfo };

/** A parameter declaration as the sandbox reports it (plain JSON). */
export type ParamSpecJson =
  | { type: "int" | "float"; min: number; max: number; step?: number; default: number; description?: string }
  | { type: "boolean"; default: boolean; description?: string }
  | { type: "enum"; options: string[]; default: string; description?: string };

export type ParamValues = Record<string, number | boolean | string>;
