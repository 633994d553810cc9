/**
 * Request and response schemas of REST API v1 (snake_case). The OpenAPI document is generated
 * from these same schemas (server/http/v1/openapi.ts).
 */
import { z } from "zod";
import { MAX_CODE_CHARS } from "./strategies";
import { RUN_STATUSES } from "@/lib/lifecycle/run";
import { RUNNABLE_RUN_KINDS } from "@/lib/runs/kinds";
import { evolveSchema } from "./evolve";
import { improveSchema } from "./improve";
import { studySchema } from "./study";
import { simConfigSchema } from "./sim-config";
import { hydrateSettingsSchema } from "./runs";
import { versionNumberSchema } from "./ids";

export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const createStrategyBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    code: z.string().min(1).max(MAX_CODE_CHARS).optional(),
    prompt: z.string().trim().min(3).max(2000).optional(),
    model: z.string().max(120).optional(),
  })
  .strict()
  .refine((b) => (b.code === undefined) !== (b.prompt === undefined), {
    message: "Send either `code` or `prompt`, not both and not neither.",
  });

export const strategySummarySchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  description: z.string(),
  state: z.enum(["CANDIDATE", "SHADOW", "LIVE", "DISABLED"]),
  latest_version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const strategyVersionSchema = z.object({
  version: z.number().int(),
  source: z.string(),
  note: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  code: z.string(),
});

export const strategyDetailSchema = strategySummarySchema.extend({ versions: z.array(strategyVersionSchema) });

export const runModeSchema = z.enum(RUNNABLE_RUN_KINDS);

export const createRunBody = z
  .object({
    /** Every mode but "hydrate" (a data run has no strategy). */
    strategy_id: z.string().uuid().optional(),
    version: versionNumberSchema.optional(),
    mode: runModeSchema,
    universe: z.string().max(80).optional(),
    symbols: z.array(z.string().trim().min(1).max(32)).min(1).max(1000).optional(),
    from: z.string().date().optional(),
    to: z.string().date().optional(),
    params: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])).optional(),
    /** mode "optimize": the study (same fields as the CLI's flags, snake_case). */
    study: studySchema.optional(),
    /** mode "optimize" / "improve": the engine's settings for every backtest. */
    config: simConfigSchema.optional(),
    /** mode "improve": the loop's settings (same fields as the CLI's flags, snake_case). */
    improve: improveSchema.optional(),
    /** mode "evolve": population, generations, rates, seed, min_trades, seed_plans (same fields as the CLI's flags, snake_case). */
    evolve: evolveSchema.optional(),
    /**
     * mode "hydrate": provider, `symbols` (list) or `all: true` (the provider's list), from, to
     * (YYYY-MM-DD; default the five years before today), quick (5 symbols, last 30 days), universe
     * (the workspace universe the symbols join; default `<provider>-hydrated`).
     */
    hydrate: hydrateSettingsSchema.optional(),
  })
  .strict()
  .refine((b) => b.mode !== "hydrate" || b.hydrate !== undefined, {
    message:
      'mode "hydrate" needs a `hydrate` object (provider, symbols or all, from, to, quick, fundamentals, universe).',
    path: ["hydrate"],
  })
  .refine((b) => b.mode === "hydrate" || b.hydrate === undefined, {
    message: '`hydrate` is only for mode "hydrate".',
    path: ["hydrate"],
  })
  .refine(
    (b) =>
      b.mode !== "hydrate" ||
      (b.strategy_id === undefined && b.version === undefined && b.universe === undefined && b.symbols === undefined),
    {
      message: 'mode "hydrate" takes its provider, symbols and universe inside `hydrate`, and no strategy.',
      path: ["strategy_id"],
    },
  )
  .refine((b) => b.mode === "hydrate" || b.strategy_id !== undefined, {
    message: "`strategy_id` is required.",
    path: ["strategy_id"],
  })
  .refine((b) => b.mode === "hydrate" || b.universe !== undefined || b.symbols !== undefined, {
    message: "Give a `universe` name or a list of `symbols`.",
  })
  .refine((b) => b.mode !== "optimize" || b.study !== undefined, {
    message: 'mode "optimize" needs a `study` object.',
    path: ["study"],
  })
  .refine((b) => b.mode === "optimize" || b.study === undefined, {
    message: '`study` is only for mode "optimize".',
    path: ["study"],
  })
  .refine((b) => b.mode !== "improve" || b.improve !== undefined, {
    message: 'mode "improve" needs an `improve` object.',
    path: ["improve"],
  })
  .refine((b) => b.mode === "improve" || b.improve === undefined, {
    message: '`improve` is only for mode "improve".',
    path: ["improve"],
  })
  .refine((b) => b.mode === "evolve" || b.evolve === undefined, {
    message: '`evolve` is only for mode "evolve".',
    path: ["evolve"],
  })
  .refine((b) => b.mode === "optimize" || b.mode === "improve" || b.config === undefined, {
    message: '`config` is only for modes "optimize" and "improve".',
    path: ["config"],
  });

export const runSchema = z.object({
  id: z.string().uuid(),
  mode: z.string(),
  status: z.enum(RUN_STATUSES),
  progress: z
    .object({
      stage: z.string().optional(),
      percent: z.number().optional(),
      eta_seconds: z.number().nullable().optional(),
    })
    .nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  result: z.unknown().nullable(),
});

export const createReportBody = z
  .object({
    run_id: z.string().uuid(),
    include_code: z.boolean().default(false),
    expires_in_days: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

export const reportCreatedSchema = z.object({ token: z.string(), url: z.string() });

/** POST /api/v1/runs/{id}/resume: continue a stopped or finished study with `trials` more trials. */
export const resumeStudyBody = z
  .object({
    trials: z
      .number()
      .int("trials must be a whole number")
      .min(1, "trials must be at least 1")
      .max(100_000, "trials must be at most 100,000"),
  })
  .strict();

/** One optimization study (an optimize run) of a strategy, newest first. */
export const studySummarySchema = z.object({
  run_id: z.string().uuid(),
  status: z.enum(RUN_STATUSES),
  version: z.number().int().nullable(),
  method: z.string(),
  objective: z.string(),
  direction: z.enum(["maximize", "minimize"]),
  n_trials: z.number().int(),
  best_value: z.number().nullable(),
  resume_of: z.string().uuid().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});

/** A universe as `GET /api/v1/data/universes` lists it, with how current its stored bars are (times ISO 8601 UTC). */
export const universeSummarySchema = z.object({
  name: z.string(),
  description: z.string().nullable(),
  kind: z.enum(["synthetic", "shared", "own"]),
  symbols: z.number().int(),
  symbols_with_data: z.number().int(),
  /** The newest bar of any of its symbols. */
  last_bar_at: z.string().nullable(),
  /** The last bar of its symbol furthest behind. */
  oldest_last_bar_at: z.string().nullable(),
  /** The latest write to any of its symbols' bars (import, hydration, refresh). */
  last_updated_at: z.string().nullable(),
  /** When its symbol list last changed. */
  list_updated_at: z.string().nullable(),
});
