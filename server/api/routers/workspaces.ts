import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import {
  createWorkspaceInput,
  deleteWorkspaceInput,
  slugSchema,
  transferOwnershipInput,
  updateWorkspaceInput,
  workspaceIdSchema,
} from "@/lib/schemas/workspaces";
import { getWorkspaceBySlugForUser, listWorkspacesForUser } from "@/server/db/queries/workspaces";
import {
  createWorkspace,
  deleteWorkspace,
  leaveWorkspace,
  renameWorkspace,
  transferOwnership,
} from "@/server/services/workspaces";
import { getGridLimit, MAX_GRID_LIMIT, setGridLimit } from "@/server/services/optimize-settings";
import { router, userProcedure, workspaceProcedure } from "../trpc";

export const workspacesRouter = router({
  list: userProcedure.query(({ ctx }) => listWorkspacesForUser(ctx.db, ctx.userId)),
  bySlug: userProcedure.input(z.object({ slug: slugSchema }).strict()).query(async ({ ctx, input }) => {
    const row = await getWorkspaceBySlugForUser(ctx.db, { slug: input.slug, userId: ctx.userId });
    if (!row) throw new AppError("NOT_FOUND", "Workspace not found.");
    return { ...row.workspace, role: row.role };
  }),
  create: userProcedure
    .input(createWorkspaceInput)
    .mutation(({ ctx, input }) => createWorkspace(ctx.db, ctx.actor, input)),
  update: workspaceProcedure("settings.manage")
    .input(updateWorkspaceInput)
    .mutation(({ ctx, input }) => renameWorkspace(ctx.db, ctx.caller, input.name)),
  /** Optimization settings: the most grid points a study may have. */
  optimizeSettings: workspaceProcedure("workspace.read")
    .input(z.object({ workspaceId: workspaceIdSchema }).strict())
    .query(async ({ ctx }) => ({ gridLimit: await getGridLimit(ctx.db, ctx.caller.workspaceId) })),
  setOptimizeSettings: workspaceProcedure("settings.manage")
    .input(
      z
        .object({
          workspaceId: workspaceIdSchema,
          gridLimit: z
            .number()
            .int("gridLimit: a whole number")
            .min(1, "gridLimit: at least 1")
            .max(MAX_GRID_LIMIT, `gridLimit: at most ${MAX_GRID_LIMIT}`)
            .nullable(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => setGridLimit(ctx.db, ctx.caller, input.gridLimit)),
  delete: workspaceProcedure("workspace.delete")
    .input(deleteWorkspaceInput)
    .mutation(({ ctx, input }) => deleteWorkspace(ctx.db, ctx.caller, input.confirmSlug)),
  transferOwnership: workspaceProcedure("workspace.transfer")
    .input(transferOwnershipInput)
    .mutation(({ ctx, input }) => transferOwnership(ctx.db, ctx.caller, input.userId)),
  leave: workspaceProcedure("workspace.read")
    .input(z.object({ workspaceId: workspaceIdSchema }).strict())
    .mutation(({ ctx }) => leaveWorkspace(ctx.db, ctx.caller)),
});
