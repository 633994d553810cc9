import "server-only";
import { z } from "zod";
import { API_KEY_SCOPES } from "@/lib/roles";
import { workspaceIdSchema } from "@/lib/schemas/workspaces";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/auth/api-keys";
import { router, workspaceProcedure } from "../trpc";

export const createApiKeyInput = z
  .object({
    workspaceId: workspaceIdSchema,
    name: z.string().trim().min(1, "Name the key.").max(80, "Name must be at most 80 characters."),
    scopes: z
      .array(z.enum(API_KEY_SCOPES, { message: "Scopes are read, run and admin." }))
      .min(1, "Choose at least one scope.")
      .max(3),
    expiresInDays: z.number().int().min(1).max(3650).nullable().default(90),
  })
  .strict();

export const apiKeysRouter = router({
  list: workspaceProcedure("api_keys.manage")
    .input(z.object({ workspaceId: workspaceIdSchema }).strict())
    .query(({ ctx }) => listApiKeys(ctx.db, ctx.caller.workspaceId)),
  create: workspaceProcedure("api_keys.manage")
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.caller, input)),
  revoke: workspaceProcedure("api_keys.manage")
    .input(z.object({ workspaceId: workspaceIdSchema, keyId: z.string().uuid("Unknown key.") }).strict())
    .mutation(({ ctx, input }) =>
      revokeApiKey(ctx.db, ctx.caller.actor, { workspaceId: ctx.caller.workspaceId, id: input.keyId }),
    ),
});
