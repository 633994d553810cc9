/**
 * The backtest engine's settings as a zod schema (client-safe): the shape of `SimConfigInput`
 * (lib/engine/config.ts), every field optional, unknown fields refused by name. Ranges that
 * depend on each other (sizing mode vs. its amount, maxPositions vs. universe size) are checked
 * by the engine's `resolveConfig`, which names the field too.
 */
import { z } from "zod";
import type { SimConfigInput } from "@/lib/engine/config";

const nonNegative = z.number().finite().min(0);
const positive = z.number().finite().positive();

export const simConfigSchema = z
  .object({
    initialCash: positive.optional(),
    fill: z.enum(["next-open", "close"]).optional(),
    costs: z
      .object({
        commissionRate: nonNegative.max(0.999999).optional(),
        commissionPerShare: nonNegative.optional(),
        commissionMin: nonNegative.optional(),
        slippageBps: nonNegative.optional(),
        commissionModel: z.enum(["per-leg", "entry-price-adjusted"]).optional(),
      })
      .strict()
      .optional(),
    sizing: z
      .object({
        mode: z.enum(["fraction", "cash", "units", "vol-target"]).optional(),
        fraction: positive.optional(),
        cashPerTrade: positive.optional(),
        units: positive.optional(),
        targetVolAnnual: positive.optional(),
        volLookbackBars: z.number().int().min(2).optional(),
        periodsPerYear: positive.optional(),
        fractional: z.boolean().optional(),
      })
      .strict()
      .optional(),
    stops: z
      .object({
        stopLossPct: positive.optional(),
        takeProfitPct: positive.optional(),
        trailingStopPct: positive.optional(),
      })
      .strict()
      .optional(),
    portfolio: z
      .object({ maxPositions: z.number().int().min(1).optional() })
      .strict()
      .optional(),
    allowShort: z.boolean().optional(),
    closeAtEnd: z.boolean().optional(),
  })
  .strict();

export type SimConfigJson = z.infer<typeof simConfigSchema>;

// The schema accepts exactly what the engine takes: a parsed config is a SimConfigInput.
const _assignable: (c: SimConfigJson) => SimConfigInput = (c) => c;
void _assignable;
