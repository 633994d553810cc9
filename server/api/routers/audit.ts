import "server-only";
import { auditQueryInput } from "@/lib/schemas/workspaces";
import { listAudit } from "@/server/services/audit";
import { router, workspaceProcedure } from "../trpc";

export const auditRouter = router({
  list: workspaceProcedure("audit.read")
    .input(auditQueryInput)
    .query(({ ctx, input }) =>
      listAudit(ctx.db, {
        workspaceId: ctx.caller.workspaceId,
        actorId: input.actorId,
        action: input.action,
        from: input.from,
        to: input.to,
        beforeId: input.cursor,
        limit: input.limit,
      }),
    ),
});
