import "server-only";
import { z } from "zod";
import { updateMemberRoleInput, workspaceIdSchema } from "@/lib/schemas/workspaces";
import { listMembers } from "@/server/db/queries/workspaces";
import { removeMember, updateMemberRole } from "@/server/services/members";
import { router, workspaceProcedure } from "../trpc";

export const membersRouter = router({
  list: workspaceProcedure("members.read")
    .input(z.object({ workspaceId: workspaceIdSchema }).strict())
    .query(({ ctx }) => listMembers(ctx.db, ctx.caller.workspaceId)),
  updateRole: workspaceProcedure("members.manage")
    .input(updateMemberRoleInput)
    .mutation(({ ctx, input }) => updateMemberRole(ctx.db, ctx.caller, input.userId, input.role)),
  remove: workspaceProcedure("members.manage")
    .input(z.object({ workspaceId: workspaceIdSchema, userId: z.string().min(1).max(64) }).strict())
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.caller, input.userId)),
});
