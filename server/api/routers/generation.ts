import "server-only";
import { z } from "zod";
import { generateForWorkspace } from "@/server/ai/generate-service";
import { universeSample } from "@/server/ai/universe-data";
import { validateGeneratedCode } from "@/server/ai/validate-code";
import { router, workspaceProcedure } from "../trpc";

export const generateInput = z
  .object({
    workspaceId: z.string(),
    request: z.string().trim().min(3, "Describe the strategy in a few words.").max(4000),
    model: z.string().max(200).optional(),
    universe: z.string().trim().min(1).max(80).optional(),
    strategyId: z.string().uuid().optional(),
    improve: z.boolean().optional(),
    maxAttempts: z.number().int().min(1).max(6).optional(),
  })
  .strict();

export const generationRouter = router({
  /** The generation pipeline's events; unsubscribing (Stop) aborts the model call. */
  generate: workspaceProcedure("strategies.write")
    .input(generateInput)
    .subscription(async function* ({ ctx, input, signal }) {
      yield* generateForWorkspace(ctx.db, ctx.caller, input, signal);
    }),
  /** Checks edited code the same way generated code is checked (static checks, load, dry run). */
  validate: workspaceProcedure("strategies.write")
    .input(
      z
        .object({
          workspaceId: z.string(),
          code: z.string().min(1).max(200_000),
          universe: z.string().trim().min(1).max(80).optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const sample = await universeSample(ctx.db, ctx.caller.workspaceId, input.universe ?? "demo-500", 3);
      const { info, ...result } = await validateGeneratedCode(input.code, sample);
      return { ...result, name: info?.name ?? null, params: info?.params ?? null };
    }),
});
