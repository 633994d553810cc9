import "server-only";
import { z } from "zod";
import { workspaceIdSchema } from "@/lib/schemas/workspaces";
import { listNotifications, watchNotifications } from "@/server/services/notifications";
import { router, workspaceProcedure } from "../trpc";

const ws = z.object({ workspaceId: workspaceIdSchema }).strict();

export const notificationsRouter = router({
  list: workspaceProcedure("workspace.read")
    .input(ws)
    .query(({ ctx }) => listNotifications(ctx.db, ctx.caller.workspaceId, ctx.caller.role)),
  /** New in-app notifications as they arrive. */
  watch: workspaceProcedure("workspace.read")
    .input(ws)
    .subscription(async function* ({ ctx, signal }) {
      yield* watchNotifications(ctx.db, ctx.caller.workspaceId, ctx.caller.role, signal);
    }),
});
