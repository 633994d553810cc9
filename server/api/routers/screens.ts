import "server-only";
import { z } from "zod";
import { createScreenInput, screenRefInput } from "@/lib/schemas/screens";
import { workspaceIdSchema } from "@/lib/schemas/workspaces";
import {
  archiveScreen,
  createScreen,
  getScreen,
  listScreens,
  runScreenNow,
  screenHistory,
  screenRunCsv,
} from "@/server/services/screens";
import { router, workspaceProcedure } from "../trpc";

export const screensRouter = router({
  list: workspaceProcedure("runs.read")
    .input(z.object({ workspaceId: workspaceIdSchema }).strict())
    .query(({ ctx }) => listScreens(ctx.db, ctx.caller.workspaceId)),
  get: workspaceProcedure("runs.read")
    .input(screenRefInput)
    .query(({ ctx, input }) => getScreen(ctx.db, ctx.caller.workspaceId, input.screenId)),
  create: workspaceProcedure("runs.create")
    .input(createScreenInput)
    .mutation(({ ctx, input }) => createScreen(ctx.db, ctx.caller, input.screen)),
  archive: workspaceProcedure("runs.create")
    .input(screenRefInput)
    .mutation(({ ctx, input }) => archiveScreen(ctx.db, ctx.caller, input.screenId)),
  run: workspaceProcedure("runs.create")
    .input(screenRefInput)
    .mutation(({ ctx, input }) => runScreenNow(ctx.db, ctx.caller, input.screenId)),
  history: workspaceProcedure("runs.read")
    .input(screenRefInput)
    .query(({ ctx, input }) => screenHistory(ctx.db, ctx.caller.workspaceId, input.screenId)),
  csv: workspaceProcedure("runs.read")
    .input(z.object({ workspaceId: workspaceIdSchema, runId: z.string().uuid() }).strict())
    .query(({ ctx, input }) => screenRunCsv(ctx.db, ctx.caller.workspaceId, input.runId)),
});
