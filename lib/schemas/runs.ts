/** Zod schemas for runs, saved screens and alerts (client-safe; shared by forms, tRPC and REST). */
import { z } from "zod";
import { RUNNABLE_RUN_KINDS, type DataRunKind } from "@/lib/runs/kinds";
import { RUN_STATUSES } from "@/lib/lifecycle/run";
import { simConfigSchema } from "./sim-config";
import { evolveSchema } from "./evolve";
import { improveSchema } from "./improve";
import { studySchema } from "./study";
import { workspaceIdSchema } from "./workspaces";
import { symbolSchema, versionNumberSchema } from "./ids";

const dateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2020-01-31.")
  .refine((s) => {
    // zod runs this check even when the pattern failed, so the text may be anything.
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "Not a calendar date.");

export { symbolSchema };

export const paramValuesSchema = z.record(z.string().max(64), z.union([z.string().max(200), z.number(), z.boolean()]));

/** Universe name (demo-500, demo-tech, a saved universe) or an explicit symbol list — one of the two. */
export const universeSelection = {
  universe: z.string().trim().min(1).max(80).optional(),
  symbols: z.array(symbolSchema).min(1).max(5000).optional(),
};

/** Fields every run kind takes: strategy (+ pinned version), data selection, window, params, priority. */
const runBase = {
  strategyId: z.string().uuid("Unknown strategy."),
  version: versionNumberSchema.optional(),
  ...universeSelection,
  from: dateText.optional(),
  to: dateText.optional(),
  params: paramValuesSchema.default({}),
  priority: z.enum(["interactive", "batch"]).default("interactive"),
};

/** Backtest: the engine's settings (costs, sizing, stops …). */
export const backtestSpecSchema = z
  .object({ kind: z.literal("backtest"), ...runBase, config: simConfigSchema.optional() })
  .strict();
/** Screen: most rows returned. */
export const screenSpecSchema = z
  .object({ kind: z.literal("screen"), ...runBase, limit: z.number().int().min(1).max(5000).optional() })
  .strict();
/** Alert: how many of the newest bars count as new. */
export const alertSpecSchema = z
  .object({ kind: z.literal("alert"), ...runBase, newBars: z.number().int().min(1).max(1000).optional() })
  .strict();

/** Optimize: a study over the strategy's params (lib/schemas/study.ts) with the engine's settings. */
export const optimizeSpecSchema = z
  .object({
    kind: z.literal("optimize"),
    ...runBase,
    config: simConfigSchema.optional(),
    study: studySchema,
    /** Continue this earlier optimize run's study: its finished trials are this run's first trials. */
    resumeOf: z.string().uuid("Unknown run.").optional(),
  })
  .strict();

/** Improve: the improvement loop's settings (lib/schemas/improve.ts) with the engine's settings. */
export const improveSpecSchema = z
  .object({ kind: z.literal("improve"), ...runBase, config: simConfigSchema.optional(), improve: improveSchema })
  .strict();

/**
 * Evolve: a population of rule plans bred over the run's symbols (lib/schemas/evolve.ts). The
 * strategy is the one the evolution is filed under; the population's seeds are `evolve.seed_plans`
 * (the default seeds when empty).
 */
export const evolveSpecSchema = z.object({ kind: z.literal("evolve"), ...runBase, evolve: evolveSchema }).strict();

/**
 * Forward: the strategy's paper results on the bars after `from` (or after the start of its stored
 * SHADOW forward test when `from` is not given), against its backtest's expectation when known.
 */
export const forwardSpecSchema = z.object({ kind: z.literal("forward"), ...runBase }).strict();

/** Most symbols one hydrate run takes (server/data/hydrate.ts MAX_HYDRATE_SYMBOLS). */
export const MAX_HYDRATE_RUN_SYMBOLS = 20_000;

/**
 * Hydrate: load a provider's symbols (an explicit list, or `all` it lists) over a date range into
 * a workspace universe. `quick` takes a small sample (the first few symbols, the last 30 days
 * unless `from` is given). Defaults: `to` today, `from` five years before `to`.
 */
export const hydrateSettingsSchema = z
  .object({
    provider: z.string().trim().min(1, "Name a provider.").max(40),
    /** Checked by the hydration (server/data/hydrate.ts checkSymbolList: the stored ticker shape, e.g. BTC/USD). */
    symbols: z.array(z.string().max(24)).min(1, "Give at least one symbol.").max(MAX_HYDRATE_RUN_SYMBOLS).optional(),
    all: z.boolean().optional(),
    from: dateText.optional(),
    to: dateText.optional(),
    quick: z.boolean().default(false),
    /** Also load fundamentals where the provider publishes them (alphavantage: OVERVIEW + EARNINGS, two more requests a symbol). */
    fundamentals: z.boolean().optional(),
    universe: z
      .string()
      .trim()
      .regex(
        /^[a-z0-9][a-z0-9._-]{0,47}$/,
        "Universe names use lower-case letters, digits and . _ - (up to 48 characters).",
      )
      .optional(),
  })
  .strict()
  .refine((v) => (v.symbols !== undefined) !== (v.all === true), {
    message: "Give either a list of `symbols` or `all: true`.",
    path: ["symbols"],
  })
  .refine((v) => !v.from || !v.to || v.from < v.to, {
    message: "The date range is reversed or empty: `from` must be before `to`.",
    path: ["from"],
  });
export type HydrateSettings = z.infer<typeof hydrateSettingsSchema>;

/** Hydrate has no strategy: a data run (lib/runs/kinds.ts DATA_RUN_KINDS). */
export const hydrateSpecSchema = z
  .object({
    kind: z.literal("hydrate"),
    priority: z.enum(["interactive", "batch"]).default("batch"),
    hydrate: hydrateSettingsSchema,
  })
  .strict();

/** What a run needs, tagged by kind. A new kind adds its schema here (and to RunResults in lib/runs/kinds.ts). */
export const runSpecSchema = z
  .discriminatedUnion("kind", [
    backtestSpecSchema,
    screenSpecSchema,
    alertSpecSchema,
    optimizeSpecSchema,
    improveSpecSchema,
    evolveSpecSchema,
    forwardSpecSchema,
    hydrateSpecSchema,
  ])
  .refine((v) => v.kind === "hydrate" || Boolean(v.universe) !== Boolean(v.symbols), {
    message: "Give either a universe or a list of symbols.",
    path: ["universe"],
  })
  .refine((v) => v.kind === "hydrate" || !v.from || !v.to || v.from <= v.to, {
    message: "`from` must not be after `to`.",
    path: ["from"],
  });
export type RunSpec = z.infer<typeof runSpecSchema>;
/** Kinds that run a strategy (every kind but the data kinds). */
export type StrategyRunKind = Exclude<RunSpec["kind"], DataRunKind>;
/** The spec of one kind. */
export type RunSpecOf<K extends RunSpec["kind"]> = Extract<RunSpec, { kind: K }>;

/**
 * What a run row's `input` holds: the spec with the strategy version pinned and its name for
 * display; a data kind (hydrate) has no strategy, and carries the hydration it drives instead.
 */
export type RunInput<K extends RunSpec["kind"] = RunSpec["kind"]> = K extends "hydrate"
  ? RunSpecOf<K> & {
      strategyId?: null;
      version?: null;
      strategyName?: null;
      /** The hydration (server/data/hydrate.ts) recorded with the run. */
      hydrationId: string;
    }
  : RunSpecOf<K> & { version: number; strategyName?: string };

export const startRunInput = z.object({ workspaceId: workspaceIdSchema, run: runSpecSchema }).strict();
export const runRefInput = z
  .object({ workspaceId: workspaceIdSchema, runId: z.string().uuid("Unknown run.") })
  .strict();
/** A strategy's optimization studies. */
export const listStudiesInput = z
  .object({ workspaceId: workspaceIdSchema, strategyId: z.string().uuid("Unknown strategy.") })
  .strict();
/** Resume a study with `trials` more trials. */
export const resumeStudyInput = z
  .object({
    workspaceId: workspaceIdSchema,
    runId: z.string().uuid("Unknown run."),
    trials: z.number().int().min(1, "trials: at least 1").max(100_000, "trials: at most 100,000"),
  })
  .strict();
export const listRunsInput = z
  .object({
    workspaceId: workspaceIdSchema,
    kind: z.enum(RUNNABLE_RUN_KINDS).optional(),
    status: z.enum(RUN_STATUSES).optional(),
    screenId: z.string().uuid().optional(),
    limit: z.number().int().min(1).max(200).default(50),
    /** Keyset cursor: ISO time of the last row seen. */
    before: z.string().datetime().optional(),
  })
  .strict();

/** A run row's input as its kind's input (the worker picks the handler by the same `kind`). */
export function runInputOf<K extends RunSpec["kind"]>(run: { kind: string; input: RunInput }, kind: K): RunInput<K> {
  if (run.kind !== kind) throw new Error(`Expected a ${kind} run, got a ${run.kind} run.`);
  return run.input as RunInput<K>;
}
