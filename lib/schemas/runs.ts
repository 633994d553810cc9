/** Zod schemas for runs, saved screens and alerts (client-safe; shared by forms, tRPC and REST). */
import { z } from "zod";
import { workspaceIdSchema } from "./workspaces";

const dateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2020-01-31.")
  .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, "Not a calendar date.");

export const symbolSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9.\-^=]{1,20}$/, "Symbols are 1–20 letters, digits, dots or dashes.");

export const paramValuesSchema = z.record(z.string().max(64), z.union([z.string().max(200), z.number(), z.boolean()]));

/** Universe name (demo-500, demo-tech, a saved universe) or an explicit symbol list — one of the two. */
export const universeSelection = {
  universe: z.string().trim().min(1).max(80).optional(),
  symbols: z.array(symbolSchema).min(1).max(5000).optional(),
};

export const RUNNABLE_RUN_KINDS = ["backtest", "screen", "alert"] as const;

/** What a run needs: strategy (+ pinned version), data selection, window, params and mode settings. */
export const runSpecSchema = z
  .object({
    kind: z.enum(RUNNABLE_RUN_KINDS),
    strategyId: z.string().uuid("Unknown strategy."),
    version: z.number().int().positive().optional(),
    ...universeSelection,
    from: dateText.optional(),
    to: dateText.optional(),
    params: paramValuesSchema.default({}),
    /** Engine settings for backtests (costs, sizing, stops …), passed through to the engine. */
    config: z.record(z.string(), z.unknown()).optional(),
    /** Screens: most rows returned. */
    limit: z.number().int().min(1).max(5000).optional(),
    /** Alerts: how many of the newest bars count as new. */
    newBars: z.number().int().min(1).max(1000).optional(),
    priority: z.enum(["interactive", "batch"]).default("interactive"),
  })
  .strict()
  .refine((v) => Boolean(v.universe) !== Boolean(v.symbols), { message: "Give either a universe or a list of symbols.", path: ["universe"] })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "`from` must not be after `to`.", path: ["from"] });
export type RunSpec = z.infer<typeof runSpecSchema>;

export const startRunInput = z.object({ workspaceId: workspaceIdSchema, run: runSpecSchema }).strict();
export const runRefInput = z.object({ workspaceId: workspaceIdSchema, runId: z.string().uuid("Unknown run.") }).strict();
export const listRunsInput = z
  .object({
    workspaceId: workspaceIdSchema,
    kind: z.enum(RUNNABLE_RUN_KINDS).optional(),
    status: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]).optional(),
    screenId: z.string().uuid().optional(),
    limit: z.number().int().min(1).max(200).default(50),
    /** Keyset cursor: ISO time of the last row seen. */
    before: z.string().datetime().optional(),
  })
  .strict();
