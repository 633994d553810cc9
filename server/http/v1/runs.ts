import "server-only";
/**
 * REST v1 run handlers (routes in app/api/v1/runs/**). The key's workspace scopes every lookup,
 * so another workspace's run id answers 404 exactly like a missing one. State changes (start,
 * cancel) are audited by the runs service with the key as actor.
 */
import type { z } from "zod";
import { createRunBody, type runSchema } from "@/lib/schemas/api-v1";
import { runSpecSchema } from "@/lib/schemas/runs";
import { cancelRun, getRun, runEventStream, startRun, type RunView } from "@/server/services/runs";
import { readJson, type RestContext } from "../rest";
import { requireUuid } from "./strategies";

type RunBody = z.infer<typeof runSchema>;

/** The run as REST clients see it (snake_case); `result` only once the run has succeeded. */
export function toRunBody(r: RunView): RunBody {
  return {
    id: r.id,
    mode: r.kind,
    status: r.status,
    progress: r.progress
      ? { stage: r.progress.stage, percent: r.progress.percent, eta_seconds: r.progress.etaSeconds ?? null }
      : null,
    error: r.error,
    created_at: r.createdAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
    result: r.status === "succeeded" ? (r.result ?? null) : null,
  };
}

/** POST /api/v1/runs: validate (snake_case body, then the same run spec the UI uses) and queue. */
export async function createRunHandler(ctx: RestContext, req: Request): Promise<{ run_id: string }> {
  const body = await readJson(req, createRunBody);
  const spec = runSpecSchema.parse(
    body.mode === "hydrate" ? { kind: "hydrate", priority: "batch", hydrate: body.hydrate } : strategyRunSpec(body),
  );
  const { runId } = await startRun(ctx.db, ctx.caller, spec, { origin: "api" });
  return { run_id: runId };
}

/** The run spec of a strategy mode (every mode but "hydrate"). */
function strategyRunSpec(body: z.infer<typeof createRunBody>): unknown {
  return {
    kind: body.mode,
    strategyId: body.strategy_id,
    version: body.version,
    universe: body.universe,
    symbols: body.symbols,
    from: body.from,
    to: body.to,
    params: body.params ?? {},
    ...(body.mode === "optimize" ? { study: body.study, ...(body.config ? { config: body.config } : {}) } : {}),
    ...(body.mode === "improve" ? { improve: body.improve, ...(body.config ? { config: body.config } : {}) } : {}),
    ...(body.mode === "evolve" ? { evolve: body.evolve ?? {} } : {}),
  };
}

export async function getRunHandler(ctx: RestContext, _req: Request, params: Record<string, string>): Promise<RunBody> {
  const id = requireUuid(params.id, "Run");
  return toRunBody(await getRun(ctx.db, ctx.caller.workspaceId, id));
}

export async function cancelRunHandler(
  ctx: RestContext,
  _req: Request,
  params: Record<string, string>,
): Promise<RunBody> {
  const id = requireUuid(params.id, "Run");
  return toRunBody(await cancelRun(ctx.db, ctx.caller, id));
}

/**
 * GET /api/v1/runs/{id}/events: `event: progress` per change, then `event: done` with the final
 * snapshot (result included). The run is looked up first so a foreign or missing id is a JSON
 * 404, not an error inside a 200 stream; a finished run answers with its `done` event at once.
 */
export async function runEventsHandler(
  ctx: RestContext,
  req: Request,
  params: Record<string, string>,
): Promise<Response> {
  const id = requireUuid(params.id, "Run");
  const run = await getRun(ctx.db, ctx.caller.workspaceId, id);
  const stream = runEventStream(ctx.db, ctx.caller.workspaceId, run.id, req.signal);
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
