import "server-only";
import { z } from "zod";
import { createInviteInput, workspaceIdSchema } from "@/lib/schemas/workspaces";
import { acceptInvite, createInvite, listInvites, previewInvite, revokeInvite } from "@/server/services/invites";
import { publicProcedure, router, userProcedure, workspaceProcedure } from "../trpc";

const tokenInput = z.object({ token: z.string().min(10).max(200) }).strict();

export const invitesRouter = router({
  create: workspaceProcedure("invites.manage")
    .input(createInviteInput)
    .mutation(({ ctx, input }) => createInvite(ctx.db, ctx.caller, input)),
  list: workspaceProcedure("invites.manage")
    .input(z.object({ workspaceId: workspaceIdSchema }).strict())
    .query(({ ctx }) => listInvites(ctx.db, ctx.caller.workspaceId)),
  revoke: workspaceProcedure("invites.manage")
    .input(z.object({ workspaceId: workspaceIdSchema, inviteId: z.string().uuid("Unknown invite.") }).strict())
    .mutation(({ ctx, input }) => revokeInvite(ctx.db, ctx.caller, input.inviteId)),
  preview: publicProcedure.input(tokenInput).query(({ ctx, input }) => previewInvite(ctx.db, input.token)),
  accept: userProcedure.input(tokenInput).mutation(({ ctx, input }) => acceptInvite(ctx.db, ctx.actor, input.token)),
});
