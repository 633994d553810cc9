import "server-only";
import { listRunsInput, listStudiesInput, resumeStudyInput, runRefInput, startRunInput } from "@/lib/schemas/runs";
import { cancelRun, getRun, listRuns, startRun, watchRun } from "@/server/services/runs";
import { listStudies, resumeStudy } from "@/server/services/optimize-studies";
import { router, workspaceProcedure } from "../trpc";

export const runsRouter = router({
  create: workspaceProcedure("runs.create")
    .input(startRunInput)
    .mutation(({ ctx, input }) => startRun(ctx.db, ctx.caller, input.run)),
  get: workspaceProcedure("runs.read")
    .input(runRefInput)
    .query(({ ctx, input }) => getRun(ctx.db, ctx.caller.workspaceId, input.runId)),
  list: workspaceProcedure("runs.read")
    .input(listRunsInput)
    .query(({ ctx, input }) => listRuns(ctx.db, ctx.caller.workspaceId, input)),
  /** A strategy's optimization studies (optimize runs): method, trials, best value, status. */
  studies: workspaceProcedure("runs.read")
    .input(listStudiesInput)
    .query(({ ctx, input }) => listStudies(ctx.db, ctx.caller.workspaceId, input.strategyId)),
  /** Resume a stopped or finished study with more trials (a new run continuing its trials). */
  resumeStudy: workspaceProcedure("runs.create")
    .input(resumeStudyInput)
    .mutation(({ ctx, input }) => resumeStudy(ctx.db, ctx.caller, input.runId, input.trials)),
  cancel: workspaceProcedure("runs.create")
    .input(runRefInput)
    .mutation(({ ctx, input }) => cancelRun(ctx.db, ctx.caller, input.runId)),
  /** Live status/progress until the run finishes (the last event carries the result). */
  watch: workspaceProcedure("runs.read")
    .input(runRefInput)
    .subscription(async function* ({ ctx, input, signal }) {
      yield* watchRun(ctx.db, ctx.caller.workspaceId, input.runId, { signal, includeResult: true });
    }),
});
