/**
 * An improvement loop's settings as the CLI, REST and tRPC accept them (one schema; the run kind
 * `improve` carries it as `improve`). Field names are the CLI's flags in snake_case.
 */
import { z } from "zod";

/** The most iterations any loop may run (a workspace cap may be lower). */
export const IMPROVE_ITERATIONS_CAP = 20;

export const improveSchema = z
  .object({
    iterations: z
      .number()
      .int("iterations must be a whole number")
      .min(1, "iterations must be at least 1")
      .max(IMPROVE_ITERATIONS_CAP, `iterations must be at most ${IMPROVE_ITERATIONS_CAP}`)
      .default(5),
    min_return: z
      .number()
      .min(-1, "min_return is a fraction of at least -1")
      .max(100, "min_return must be at most 100 (10,000 %)")
      .default(0.5),
    min_sortino: z
      .number()
      .min(-10, "min_sortino must be at least -10")
      .max(100, "min_sortino must be at most 100")
      .default(2),
    min_trades: z
      .number()
      .int("min_trades must be a whole number")
      .min(0, "min_trades must be at least 0")
      .max(1_000_000)
      .default(0),
    min_win_rate: z
      .number()
      .min(0, "min_win_rate is a fraction in [0, 1]")
      .max(1, "min_win_rate is a fraction in [0, 1]")
      .default(0),
    improvement_threshold: z
      .number()
      .min(0, "improvement_threshold must be at least 0")
      .max(10, "improvement_threshold must be at most 10")
      .default(0.1),
    holdout: z.number().gt(0, "holdout must be greater than 0").lt(1, "holdout must be below 1").default(0.2),
    trials_per_iteration: z
      .number()
      .int()
      .min(1, "trials_per_iteration must be at least 1")
      .max(200, "trials_per_iteration must be at most 200")
      .default(8),
    model: z.string().trim().min(1).max(200).default("offline:template"),
    /** Wall-clock cap in minutes: no new iteration starts after it. */
    max_minutes: z
      .number()
      .gt(0, "max_minutes must be greater than 0")
      .max(24 * 60, "max_minutes must be at most 1440")
      .default(60),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
  })
  .strict();
export type ImproveSettings = z.infer<typeof improveSchema>;
export type ImproveSettingsInput = z.input<typeof improveSchema>;

/** The loop's thresholds from the settings. */
export function thresholdsOf(s: ImproveSettings) {
  return { minReturn: s.min_return, minSortino: s.min_sortino, minTrades: s.min_trades, minWinRate: s.min_win_rate };
}
