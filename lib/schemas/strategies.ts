/** Zod schemas for strategies (client-safe; shared by forms, tRPC and REST). */
import { z } from "zod";
import { STRATEGY_EVENTS } from "@/lib/lifecycle/strategy";
import { workspaceIdSchema } from "./workspaces";
import { versionNumberSchema } from "./ids";

export const MAX_CODE_CHARS = 100_000;

export const strategyCodeSchema = z
  .string()
  .min(1, "Strategy code is empty.")
  .max(MAX_CODE_CHARS, `Strategy code is longer than ${MAX_CODE_CHARS.toLocaleString("en-US")} characters.`);
export const strategyNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required.")
  .max(120, "Name must be at most 120 characters.");
export const strategyIdSchema = z.string().uuid("Unknown strategy.");

export const createStrategyInput = z
  .object({
    workspaceId: workspaceIdSchema,
    name: strategyNameSchema.optional(),
    description: z.string().max(2000).optional(),
    code: strategyCodeSchema,
  })
  .strict();

export const saveVersionInput = z
  .object({
    workspaceId: workspaceIdSchema,
    strategyId: strategyIdSchema,
    code: strategyCodeSchema,
    note: z.string().max(500).optional(),
  })
  .strict();

export const strategyRefInput = z.object({ workspaceId: workspaceIdSchema, strategyId: strategyIdSchema }).strict();

export const restoreVersionInput = strategyRefInput.extend({ version: versionNumberSchema }).strict();

export const transitionStrategyInput = strategyRefInput.extend({ event: z.enum(STRATEGY_EVENTS) }).strict();

export const listStrategiesInput = z
  .object({ workspaceId: workspaceIdSchema, includeArchived: z.boolean().default(false) })
  .strict();
