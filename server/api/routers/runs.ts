import "server-only";
import { listRunsInput, listStudiesInput, resumeStudyInput, runRefInput, startRunInput } from "@/lib/schemas/runs";
import { cancelRun, getRun, listRuns, startRun, watchRun } from "@/server/services/runs";
import type { OptimizeResult } from "@/lib/modes/optimize";
import { sampleForCharts } from "@/lib/optimize/chart-sample";
import { listStudies, resumeStudy } from "@/server/services/optimize-studies";
import { router, workspaceProcedure } from "../trpc";

const isOptimizeResult = (r: unknown): r is OptimizeResult =>
  typeof r === "object" && r !== null && (r as { execution_mode?: unknown }).execution_mode === "optimize";

/** The browser's charts receive at most CHART_MAX_POINTS trials of a study (the REST API returns all). */
function forCharts<T extends { result?: unknown }>(row: T): T {
  return isOptimizeResult(row.result) ? { ...row, result: sampleForCharts(row.result) } : row;
}

export const runsRouter = router({
  create: workspaceProcedure("runs.create")
    .input(startRunInput)
    .mutation(({ ctx, input }) => startRun(ctx.db, ctx.caller, input.run)),
  /** A run; an optimize run's trials are down-sampled for its charts (lib/optimize/chart-sample.ts). */
  get: workspaceProcedure("runs.read")
    .input(runRefInput)
    .query(async ({ ctx, input }) => forCharts(await getRun(ctx.db, ctx.caller.workspaceId, input.runId))),
  /** Every trial of an optimize run (the trial table's CSV download). */
  optimizeTrials: workspaceProcedure("runs.read")
    .input(runRefInput)
    .query(async ({ ctx, input }) => {
      const run = await getRun(ctx.db, ctx.caller.workspaceId, input.runId);
      return isOptimizeResult(run.result) ? run.result.trials : [];
    }),
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
      for await (const snap of watchRun(ctx.db, ctx.caller.workspaceId, input.runId, { signal, includeResult: true }))
        yield forCharts(snap);
    }),
});
