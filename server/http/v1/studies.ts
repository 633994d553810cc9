import "server-only";
/**
 * REST v1 optimization studies: a strategy's studies (its optimize runs) and resuming one. The
 * key's workspace scopes both lookups, so another workspace's strategy or run answers 404 like a
 * missing one; a study that is still queued or running (or whose grid is exhausted) answers 409.
 */
import type { z } from "zod";
import { resumeStudyBody, type studySummarySchema } from "@/lib/schemas/api-v1";
import { listStudies, resumeStudy, type StudyRow } from "@/server/services/optimize-studies";
import { readJson, type RestContext } from "../rest";
import { requireUuid } from "./strategies";

type StudySummary = z.infer<typeof studySummarySchema>;

function toStudyBody(s: StudyRow): StudySummary {
  return {
    run_id: s.runId,
    status: s.status as StudySummary["status"],
    version: s.version,
    method: s.method,
    objective: s.objective,
    direction: s.direction,
    n_trials: s.nTrials,
    best_value: s.bestValue,
    resume_of: s.resumeOf,
    created_at: s.createdAt,
    finished_at: s.finishedAt,
  };
}

/** GET /api/v1/strategies/{id}/studies: the strategy's studies, newest first. */
export async function listStudiesHandler(
  ctx: RestContext,
  _req: Request,
  params: Record<string, string>,
): Promise<{ data: StudySummary[] }> {
  const id = requireUuid(params.id, "Strategy");
  const rows = await listStudies(ctx.db, ctx.caller.workspaceId, id);
  return { data: rows.map(toStudyBody) };
}

/** POST /api/v1/runs/{id}/resume `{ trials }`: a new optimize run continuing the study; answers its id. */
export async function resumeStudyHandler(
  ctx: RestContext,
  req: Request,
  params: Record<string, string>,
): Promise<{ run_id: string; resume_of: string }> {
  const id = requireUuid(params.id, "Study");
  const body = await readJson(req, resumeStudyBody);
  const { runId } = await resumeStudy(ctx.db, ctx.caller, id, body.trials);
  return { run_id: runId, resume_of: id };
}
