import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { workspaceIdSchema } from "@/lib/schemas/workspaces";
import { listReports, publishReport, revokeReport } from "@/server/services/reports";
import { router, workspaceProcedure } from "../trpc";

export const reportsRouter = router({
  list: workspaceProcedure("runs.read")
    .input(z.object({ workspaceId: workspaceIdSchema }).strict())
    .query(({ ctx }) => listReports(ctx.db, ctx.caller.workspaceId)),
  publish: workspaceProcedure("reports.publish")
    .input(
      z
        .object({
          workspaceId: workspaceIdSchema,
          runId: z.string().uuid("Unknown run."),
          includeCode: z.boolean().default(false),
          expiresInDays: z.number().int().min(1).max(3650).optional(),
          title: z.string().trim().min(1).max(120).optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => publishReport(ctx.db, ctx.caller, input, env().APP_URL ?? "")),
  revoke: workspaceProcedure("reports.publish")
    .input(z.object({ workspaceId: workspaceIdSchema, reportId: z.string().uuid("Unknown report.") }).strict())
    .mutation(({ ctx, input }) => revokeReport(ctx.db, ctx.caller, input.reportId)),
});
