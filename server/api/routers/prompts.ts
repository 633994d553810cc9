import "server-only";
import { z } from "zod";
import { TEMPLATE_NAMES } from "@/server/ai/prompts";
import { listTemplates, rollbackTemplate, saveTemplate, templateHistory } from "@/server/ai/workspace-prompts";
import { router, workspaceProcedure } from "../trpc";

const name = z.enum(TEMPLATE_NAMES);

export const promptsRouter = router({
  list: workspaceProcedure("strategies.read")
    .input(z.object({ workspaceId: z.string() }).strict())
    .query(({ ctx }) => listTemplates(ctx.db, ctx.caller.workspaceId)),
  history: workspaceProcedure("strategies.read")
    .input(z.object({ workspaceId: z.string(), name }).strict())
    .query(({ ctx, input }) => templateHistory(ctx.db, ctx.caller.workspaceId, input.name)),
  save: workspaceProcedure("settings.manage")
    .input(
      z
        .object({ workspaceId: z.string(), name, text: z.string().max(20_000), note: z.string().max(200).optional() })
        .strict(),
    )
    .mutation(({ ctx, input }) => saveTemplate(ctx.db, ctx.caller, input)),
  rollback: workspaceProcedure("settings.manage")
    .input(z.object({ workspaceId: z.string(), name, version: z.number().int().min(0) }).strict())
    .mutation(({ ctx, input }) => rollbackTemplate(ctx.db, ctx.caller, input)),
});
