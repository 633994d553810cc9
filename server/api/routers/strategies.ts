import "server-only";
import {
  createStrategyInput,
  listStrategiesInput,
  restoreVersionInput,
  saveVersionInput,
  strategyRefInput,
  transitionStrategyInput,
} from "@/lib/schemas/strategies";
import { versionNumberSchema } from "@/lib/schemas/ids";
import {
  archiveStrategy,
  createStrategy,
  getVersion,
  listStrategies,
  listVersions,
  restoreVersion,
  saveVersion,
} from "@/server/services/strategies";
import { can } from "@/lib/roles";
import { applyLifecycleEvent } from "@/server/services/lifecycle";
import { router, workspaceProcedure } from "../trpc";

export const strategiesRouter = router({
  list: workspaceProcedure("strategies.read")
    .input(listStrategiesInput)
    .query(({ ctx, input }) => listStrategies(ctx.db, ctx.caller.workspaceId, input.includeArchived)),
  get: workspaceProcedure("strategies.read")
    .input(strategyRefInput.extend({ version: versionNumberSchema.optional() }).strict())
    .query(({ ctx, input }) => getVersion(ctx.db, ctx.caller.workspaceId, input.strategyId, input.version)),
  versions: workspaceProcedure("strategies.read")
    .input(strategyRefInput)
    .query(({ ctx, input }) => listVersions(ctx.db, ctx.caller.workspaceId, input.strategyId)),
  create: workspaceProcedure("strategies.write")
    .input(createStrategyInput)
    .mutation(({ ctx, input }) => createStrategy(ctx.db, ctx.caller, input)),
  saveVersion: workspaceProcedure("strategies.write")
    .input(saveVersionInput)
    .mutation(({ ctx, input }) => saveVersion(ctx.db, ctx.caller, input)),
  restore: workspaceProcedure("strategies.write")
    .input(restoreVersionInput)
    .mutation(({ ctx, input }) => restoreVersion(ctx.db, ctx.caller, input.strategyId, input.version)),
  archive: workspaceProcedure("strategies.write")
    .input(strategyRefInput)
    .mutation(({ ctx, input }) => archiveStrategy(ctx.db, ctx.caller, input.strategyId)),
  transition: workspaceProcedure("strategies.write")
    .input(transitionStrategyInput)
    .mutation(({ ctx, input }) =>
      applyLifecycleEvent(ctx.db, ctx.caller, input.strategyId, input.event, {
        now: new Date(),
        approve: ctx.caller.role !== null && can(ctx.caller.role, "strategies.approve"),
      }),
    ),
});
