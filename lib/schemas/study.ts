/**
 * An optimization study as the CLI, REST and tRPC accept it (one schema; the run kind `optimize`
 * carries it as `study`). Field names are the CLI's flags in snake_case.
 */
import { z } from "zod";
import { REPORT_KEYS } from "@/lib/engine/report";

const paramName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "A param name is an identifier.")
  .max(64);

export const rangeSchema = z
  .object({
    min: z.number().finite(),
    max: z.number().finite(),
    step: z.number().finite().gt(0, "step must be greater than 0").optional(),
    log: z.boolean().optional(),
  })
  .strict()
  .refine((r) => r.min <= r.max, { message: "min must not be greater than max", path: ["min"] });

/** Metrics a study may optimize: every metric of the engine's report. */
export const OBJECTIVE_METRICS = REPORT_KEYS;

export const objectiveSchema = z
  .object({
    metric: z.enum(OBJECTIVE_METRICS, { message: `Unknown objective metric; use one of ${REPORT_KEYS.join(", ")}.` }),
    direction: z.enum(["maximize", "minimize"]),
  })
  .strict();

/** The default direction of a metric: drawdown depth, volatility and duration are better smaller … */
export function defaultDirection(metric: string): "maximize" | "minimize" {
  return /^(volatility_pct|max_drawdown_duration_bars|avg_drawdown_duration_bars|total_commission)$/.test(metric)
    ? "minimize"
    : "maximize";
}

export const studySchema = z
  .object({
    method: z.enum(["grid", "random", "tpe", "nsga2"]).default("tpe"),
    ranges: z.record(paramName, rangeSchema).default({}),
    choices: z
      .record(
        paramName,
        z
          .array(z.union([z.string().max(200), z.number(), z.boolean()]))
          .min(1, "a choice list needs at least one value")
          .max(1000),
      )
      .default({}),
    constraints: z.array(z.string().min(1).max(500)).max(20).default([]),
    objectives: z
      .array(objectiveSchema)
      .min(1)
      .max(4)
      .default([{ metric: "sharpe", direction: "maximize" }]),
    trials: z.number().int().positive("trials must be at least 1").max(100_000).optional(),
    timeout: z
      .number()
      .positive("timeout must be greater than 0")
      .max(7 * 24 * 3600)
      .optional(),
    patience: z.number().int().positive().max(100_000).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    holdout: z.number().min(0).max(0.9).default(0.3),
    walk_forward: z
      .object({ folds: z.number().int().min(2).max(20), anchored: z.boolean().default(false) })
      .strict()
      .optional(),
    subset: z
      .object({ n: z.number().int().min(1), top: z.number().int().min(1).max(50).default(3) })
      .strict()
      .optional(),
    pruner: z.enum(["none", "median", "asha"]).default("none"),
    min_trades: z.number().int().min(0).optional(),
    max_drawdown_pct: z.number().min(0).max(100).optional(),
  })
  .strict()
  .refine((s) => s.method !== "nsga2" || s.objectives.length >= 2, {
    message: "nsga2 needs two or more objectives",
    path: ["method"],
  })
  .refine((s) => s.method === "nsga2" || s.objectives.length === 1, {
    message: "two or more objectives need method nsga2",
    path: ["objectives"],
  })
  .refine((s) => s.method === "grid" || s.trials !== undefined || s.timeout !== undefined, {
    message: "give trials or timeout (only a grid stops by itself)",
    path: ["trials"],
  });

export type StudyInput = z.input<typeof studySchema>;
export type Study = z.output<typeof studySchema>;
