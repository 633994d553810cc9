/** Zod schemas for saved screens (client-safe). */
import { z } from "zod";
import { cronSchema } from "./alerts";
import { paramValuesSchema, universeSelection } from "./runs";
import { workspaceIdSchema } from "./workspaces";

export const screenFields = z
  .object({
    name: z.string().trim().min(1, "Name is required.").max(120),
    strategyId: z.string().uuid("Unknown strategy."),
    strategyVersion: z.number().int().positive().optional(),
    ...universeSelection,
    params: paramValuesSchema.default({}),
    limit: z.number().int().min(1).max(5000).default(50),
    schedule: cronSchema.optional(),
  })
  .strict()
  .refine((v) => Boolean(v.universe) !== Boolean(v.symbols), {
    message: "Give either a universe or a list of symbols.",
    path: ["universe"],
  });

export const createScreenInput = z.object({ workspaceId: workspaceIdSchema, screen: screenFields }).strict();
export const screenRefInput = z
  .object({ workspaceId: workspaceIdSchema, screenId: z.string().uuid("Unknown screen.") })
  .strict();
