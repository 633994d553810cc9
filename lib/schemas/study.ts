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

/** A problem in one of the CLI's text forms; the message says what was expected. */
export class StudyTextError extends Error {}

/** "min:max[:step][:log]" (the CLI's --range value after "name=") as a range object. */
export function rangeFromText(text: string): { min: number; max: number; step?: number; log?: true } {
  const parts = text.trim().split(":");
  const log = parts[parts.length - 1] === "log";
  if (log) parts.pop();
  if (parts.length < 2 || parts.length > 3)
    throw new StudyTextError(`use min:max or min:max:step (optionally :log), got "${text}"`);
  const [min, max, step] = parts.map((p) => numberFromText(p));
  return { min, max, ...(step !== undefined ? { step } : {}), ...(log ? { log: true as const } : {}) };
}

/** "a,b,c" (the CLI's --choice value after "name=") as values: true/false and numbers are typed. */
export function choicesFromText(text: string): (string | number | boolean)[] {
  const vals = text
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  if (vals.length === 0) throw new StudyTextError("the list is empty");
  return vals.map((v) => (v === "true" ? true : v === "false" ? false : Number.isFinite(Number(v)) ? Number(v) : v));
}

/** "sharpe", "sharpe:max" or "max_drawdown_pct:min" (the CLI's --objective value) as an objective. */
export function objectiveFromText(text: string): { metric: string; direction: "maximize" | "minimize" } {
  const [metric, dir, ...rest] = text.trim().split(":");
  if (rest.length > 0 || (dir !== undefined && dir !== "max" && dir !== "min"))
    throw new StudyTextError(`use metric[:max|:min], got "${text}"`);
  return { metric, direction: dir === "max" ? "maximize" : dir === "min" ? "minimize" : defaultDirection(metric) };
}

/** "folds=5[,anchored|,rolling]" (the CLI's --walk-forward value); folds default to 5. */
export function walkForwardFromText(text: string): { folds: number; anchored: boolean } {
  let folds = 5;
  let anchored = false;
  for (const p of text.split(",").map((x) => x.trim())) {
    if (p === "anchored") anchored = true;
    else if (p === "rolling") anchored = false;
    else if (p.startsWith("folds=")) folds = numberFromText(p.slice(6));
    else throw new StudyTextError(`use folds=N[,anchored], got "${text}"`);
  }
  return { folds, anchored };
}

/** "N[,top=K]" (the CLI's --subset value). */
export function subsetFromText(text: string): { n: number; top?: number } {
  const [n, ...rest] = text.split(",").map((x) => x.trim());
  const out: { n: number; top?: number } = { n: numberFromText(n) };
  for (const p of rest) {
    if (p.startsWith("top=")) out.top = numberFromText(p.slice(4));
    else throw new StudyTextError(`use N[,top=K], got "${text}"`);
  }
  return out;
}

function numberFromText(raw: string): number {
  const n = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(n)) throw new StudyTextError(`"${raw}" is not a number`);
  return n;
}

/** Accept the CLI's text form of a field (a string) beside its object form. */
function orText<T extends z.ZodType>(fromText: (text: string) => unknown, schema: T, form: string) {
  return z.preprocess(
    (v, ctx) => {
      if (typeof v !== "string") return v;
      try {
        return fromText(v);
      } catch (err) {
        if (!(err instanceof StudyTextError)) throw err;
        ctx.addIssue({ code: "custom", message: err.message });
        return z.NEVER;
      }
    },
    schema.describe(`An object, or the CLI's text form ${form}.`),
  );
}

const rangeObjectSchema = z
  .object({
    min: z.number().finite(),
    max: z.number().finite(),
    step: z.number().finite().gt(0, "step must be greater than 0").optional(),
    log: z.boolean().optional(),
  })
  .strict()
  .refine((r) => r.min <= r.max, { message: "min must not be greater than max", path: ["min"] });
export const rangeSchema = orText(rangeFromText, rangeObjectSchema, '"min:max[:step][:log]"');

/** Metrics a study may optimize: every metric of the engine's report. */
export const OBJECTIVE_METRICS = REPORT_KEYS;

const objectiveObjectSchema = z
  .object({
    metric: z.enum(OBJECTIVE_METRICS, { message: `Unknown objective metric; use one of ${REPORT_KEYS.join(", ")}.` }),
    direction: z.enum(["maximize", "minimize"]),
  })
  .strict();
export const objectiveSchema = orText(objectiveFromText, objectiveObjectSchema, '"sharpe[:max|:min]"');

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
        orText(
          choicesFromText,
          z
            .array(z.union([z.string().max(200), z.number(), z.boolean()]))
            .min(1, "a choice list needs at least one value")
            .max(1000),
          '"a,b,c"',
        ),
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
    walk_forward: orText(
      walkForwardFromText,
      z.object({ folds: z.number().int().min(2).max(20), anchored: z.boolean().default(false) }).strict(),
      '"folds=5[,anchored]"',
    ).optional(),
    subset: orText(
      subsetFromText,
      z.object({ n: z.number().int().min(1), top: z.number().int().min(1).max(50).default(3) }).strict(),
      '"N[,top=K]"',
    ).optional(),
    pruner: z.enum(["none", "median", "asha"]).default("none"),
    /**
     * Trials that may run at once: trial n is sampled against the history a study with this window
     * sees (lib/optimize/study.ts windowedHistory), so the seeded sequence depends on it. Default:
     * 1 in the CLI, 1 + LAB_OPTIMIZE_HELPERS on the queue (recorded on the run when it starts).
     */
    window: z.number().int().min(1, "window must be at least 1").max(65, "window must be at most 65").optional(),
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
