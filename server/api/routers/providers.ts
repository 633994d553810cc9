import "server-only";
import { z } from "zod";
import { PROVIDERS } from "@/server/ai/providers";
import { availableModels, deleteProviderKey, listProviderKeys, setProviderKey } from "@/server/ai/workspace-keys";
import { router, workspaceProcedure } from "../trpc";

const ws = z.object({ workspaceId: z.string() }).strict();
const providerName = z.enum(PROVIDERS);

export const providersRouter = router({
  /** Models the picker offers (no key material). */
  models: workspaceProcedure("strategies.read")
    .input(ws)
    .query(({ ctx }) => availableModels(ctx.db, ctx.caller.workspaceId)),
  /** Stored keys as hints only. */
  list: workspaceProcedure("settings.manage")
    .input(ws)
    .query(({ ctx }) => listProviderKeys(ctx.db, ctx.caller.workspaceId)),
  set: workspaceProcedure("settings.manage")
    .input(
      z
        .object({
          workspaceId: z.string(),
          provider: providerName,
          apiKey: z.string().trim().min(8, "That does not look like an API key.").max(500).optional(),
          baseUrl: z.string().url().max(500).optional(),
          models: z.array(z.string().trim().min(1).max(200)).max(30).optional(),
        })
        .strict()
        .refine((v) => v.provider !== "openai-compatible" || (v.baseUrl && v.models && v.models.length > 0), {
          message: "An OpenAI-compatible endpoint needs a base URL and at least one model.",
          path: ["baseUrl"],
        })
        .refine((v) => v.provider === "openai-compatible" || v.apiKey, {
          message: "Enter the API key.",
          path: ["apiKey"],
        }),
    )
    .mutation(({ ctx, input }) => setProviderKey(ctx.db, ctx.caller, input)),
  remove: workspaceProcedure("settings.manage")
    .input(z.object({ workspaceId: z.string(), provider: providerName }).strict())
    .mutation(({ ctx, input }) => deleteProviderKey(ctx.db, ctx.caller, input.provider)),
});
