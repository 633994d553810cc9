import "server-only";
/**
 * Runs: start (returns at once with an id), read, list, cancel, and watch live. The run row is
 * the source of truth; the queue job carries only the run id (job id = run id).
 *
 * Fair use, part 1 (admission): a workspace may have at most LAB_WORKSPACE_MAX_QUEUED runs
 * waiting; the count and the insert happen under a per-workspace advisory lock so concurrent
 * starts cannot overshoot. Part 2 (execution) is in server/jobs/fairness.ts.
 */
import { statusesAllowing } from "@/lib/lifecycle/run";
import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { checkStudy } from "@/lib/modes/optimize";
import { SpaceError } from "@/lib/optimize/space";
import { ParamError, resolveParams } from "@/lib/sdk/params";
import type { ParamSpecs } from "@/lib/sdk/types";
import type { RunInput, RunSpec } from "@/lib/schemas/runs";
import type { Db, DbOrTx } from "@/server/db";
import { runs, TERMINAL_RUN_STATUSES, type Run, type RunKind, type RunStatus } from "@/server/db/schema";
import { getBoss } from "@/server/jobs/boss";
import { sendRunJob } from "@/server/jobs/send";
import { consumeLimit } from "./rate-limit";
import { recordAudit } from "./audit";
import { getVersion } from "./strategies";
import { checkResumeOf } from "./optimize-resume";
import { getGridLimit } from "./optimize-settings";
import { planHydrateRun } from "./hydrations";
import { checkRunnableUniverse } from "@/server/data/universes";
import { cancelHydration, recordHydration, type HydrationPlan } from "@/server/data/hydrate";
import { listModels } from "@/server/ai/providers";
import { effectiveCredentials } from "@/server/ai/workspace-keys";
import type { Actor, WorkspaceCaller } from "@/server/auth/access";

/** Where a run came from (shown in lists; schedules and alerts are "batch"-like origins). */
export type RunOrigin = "user" | "api" | "schedule" | "system";

export interface StartRunOptions {
  origin?: RunOrigin;
  screenId?: string;
  alertRuleId?: string;
}

/** The run as the UI and the REST API see it (no internal columns). */
export type RunView = Pick<
  Run,
  | "id"
  | "workspaceId"
  | "kind"
  | "status"
  | "priority"
  | "input"
  | "progress"
  | "result"
  | "error"
  | "attempts"
  | "origin"
  | "screenId"
  | "createdBy"
  | "createdAt"
  | "startedAt"
  | "finishedAt"
  | "cancelRequestedAt"
>;

function view(r: Run): RunView {
  const { updatedAt: _u, alertRuleId: _a, ...rest } = r;
  return rest;
}

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

function actorId(actor: Actor): string | null {
  return actor.userId ?? actor.id;
}

/**
 * Queue a run and return its id at once. The strategy version is pinned now (latest when not
 * given), so later edits never change what a queued run executes. Throws NOT_FOUND (strategy),
 * LIMIT_EXCEEDED (queue quota), UNAVAILABLE (queue unreachable; the run is marked failed).
 */
export async function startRun(
  db: Db,
  caller: WorkspaceCaller,
  spec: RunSpec,
  opts: StartRunOptions = {},
): Promise<{ runId: string }> {
  let input: RunInput;
  let audit: Record<string, unknown>;
  let hydration: HydrationPlan | null = null;
  if (spec.kind === "hydrate") {
    // A data run: no strategy. The hydration is checked now (nothing is written on bad input)
    // and recorded with the run; the handler queues its batches.
    hydration = await planHydrateRun(caller.workspaceId, spec.hydrate, Date.now());
    input = { ...spec, hydrationId: "" };
    audit = {
      kind: spec.kind,
      provider: hydration.provider,
      symbols: hydration.symbols.length,
      universe: hydration.universe,
      priority: spec.priority,
    };
  } else {
    const { strategy, version } = await getVersion(db, caller.workspaceId, spec.strategyId, spec.version);
    if (spec.universe) await checkRunnableUniverse(db, caller.workspaceId, spec.universe);
    checkParams(spec.params, version.params);
    if (spec.kind === "optimize") checkOptimizeSpec(spec, version.params, await getGridLimit(db, caller.workspaceId));
    if (spec.kind === "optimize" && spec.resumeOf)
      await checkResumeOf(db, caller.workspaceId, spec.strategyId, spec.resumeOf);
    if (spec.kind === "improve") await checkImproveModel(db, caller.workspaceId, spec.improve.model);
    input = { ...spec, version: version.version, strategyName: strategy.name };
    audit = { kind: spec.kind, strategyId: strategy.id, version: version.version, priority: spec.priority };
  }
  if (opts.origin !== "schedule" && opts.origin !== "system") {
    await consumeLimit(db, "workspace-runs", caller.workspaceId, {
      points: env().LAB_RUNS_PER_HOUR,
      durationSeconds: 3600,
      message: "This workspace has started too many runs this hour.",
    });
  }
  const maxQueued = env().LAB_WORKSPACE_MAX_QUEUED;
  const run = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`runs:${caller.workspaceId}`}))`);
    const [{ queued }] = await tx
      .select({ queued: sql<number>`count(*)::int` })
      .from(runs)
      .where(and(eq(runs.workspaceId, caller.workspaceId), eq(runs.status, "queued")));
    if (queued >= maxQueued) {
      throw new AppError(
        "LIMIT_EXCEEDED",
        `This workspace already has ${queued} runs waiting (the limit is ${maxQueued}). Wait for some to finish or cancel a few.`,
        { retryAfterSeconds: 30 },
      );
    }
    if (hydration && input.kind === "hydrate") input = { ...input, hydrationId: await recordHydration(tx, hydration) };
    const [row] = await tx
      .insert(runs)
      .values({
        workspaceId: caller.workspaceId,
        kind: spec.kind,
        priority: spec.priority,
        input,
        origin: opts.origin ?? (caller.actor.type === "api_key" ? "api" : "user"),
        screenId: opts.screenId ?? null,
        alertRuleId: opts.alertRuleId ?? null,
        createdBy: actorId(caller.actor),
      })
      .returning();
    await recordAudit(tx, {
      action: "run.created",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "run", id: row.id },
      metadata: audit,
    });
    return row;
  });
  try {
    await sendRunJob(await getBoss(), {
      runId: run.id,
      workspaceId: run.workspaceId,
      kind: run.kind,
      priority: run.priority,
    });
  } catch (err) {
    console.error(`[runs] could not queue run ${run.id}:`, err);
    await db
      .update(runs)
      .set({
        status: "failed",
        error: "The job queue is unavailable; the run was not started.",
        finishedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(and(eq(runs.id, run.id), eq(runs.status, "queued")));
    if (run.input.kind === "hydrate")
      await cancelHydration(db, run.input.hydrationId, "not started: the job queue was unavailable");
    throw new AppError("UNAVAILABLE", "The job queue is unavailable right now; try again in a minute.", { cause: err });
  }
  return { runId: run.id };
}

/**
 * Param values the strategy version does not declare, or cannot take (wrong type, out of range),
 * are refused before anything is queued (422 naming the param), not left to fail in the worker.
 */
function checkParams(given: Record<string, string | number | boolean> | undefined, declared: Record<string, unknown>) {
  if (!given || Object.keys(given).length === 0) return;
  try {
    resolveParams(declared as ParamSpecs, given);
  } catch (err) {
    if (err instanceof ParamError)
      throw new AppError("UNPROCESSABLE", `params.${err.param}: ${err.message}`, {
        fieldErrors: { [`params.${err.param}`]: [err.message] },
      });
    throw err;
  }
}

/** A study that cannot run on this strategy version is refused before anything is queued (422 naming the field). */
function checkOptimizeSpec(
  spec: Extract<RunSpec, { kind: "optimize" }>,
  params: Record<string, unknown>,
  gridLimit: number,
): void {
  try {
    checkStudy(params as ParamSpecs, spec.study, gridLimit);
  } catch (err) {
    if (err instanceof SpaceError) {
      const [kind, name] = err.field.split(".");
      const field =
        kind === "grid"
          ? "study.ranges"
          : kind.startsWith("constraint")
            ? `study.constraints${kind.slice("constraint".length)}`
            : `study.${kind}s${name ? `.${name}` : ""}`;
      throw new AppError("UNPROCESSABLE", err.message, { fieldErrors: { [field]: [err.message] } });
    }
    throw err;
  }
}

/** The improve run's model must be one the workspace can use (the offline model always is). */
async function checkImproveModel(db: DbOrTx, workspaceId: string, id: string): Promise<void> {
  if (id === "offline:template") return;
  const models = listModels(await effectiveCredentials(db, workspaceId));
  if (!models.some((m) => m.id === id)) {
    const message = `Model "${id}" is not available. Available: ${models.map((m) => m.id).join(", ")}.`;
    throw new AppError("UNPROCESSABLE", message, { fieldErrors: { "improve.model": [message] } });
  }
}

/** One run of the workspace; NOT_FOUND for a missing id or another workspace's run. */
export async function getRun(db: DbOrTx, workspaceId: string, runId: string): Promise<RunView> {
  const [row] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.id, runId), eq(runs.workspaceId, workspaceId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Run not found.");
  return view(row);
}

export interface ListRunsFilter {
  kind?: RunKind;
  status?: RunStatus;
  screenId?: string;
  limit: number;
  /** ISO time: rows created before it. */
  before?: string;
}

/** Runs of the workspace, newest first, without their (possibly large) results. */
export async function listRuns(db: DbOrTx, workspaceId: string, f: ListRunsFilter) {
  const where: SQL[] = [eq(runs.workspaceId, workspaceId)];
  if (f.kind) where.push(eq(runs.kind, f.kind));
  if (f.status) where.push(eq(runs.status, f.status));
  if (f.screenId) where.push(eq(runs.screenId, f.screenId));
  if (f.before) where.push(lt(runs.createdAt, new Date(f.before)));
  const rows = await db
    .select({
      id: runs.id,
      kind: runs.kind,
      status: runs.status,
      priority: runs.priority,
      input: runs.input,
      progress: runs.progress,
      error: runs.error,
      attempts: runs.attempts,
      origin: runs.origin,
      screenId: runs.screenId,
      createdAt: runs.createdAt,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      /** Headline figures of a finished backtest (null otherwise), for the list's Return and Sharpe columns. */
      headline: sql<{
        totalReturnPct: number | null;
        sharpe: number | null;
      } | null>`case when ${runs.kind} = 'backtest' and ${runs.status} = 'succeeded' then jsonb_build_object('totalReturnPct', ${runs.result}->'performance_metrics'->'total_return_pct', 'sharpe', ${runs.result}->'performance_metrics'->'sharpe') end`,
    })
    .from(runs)
    .where(and(...where))
    .orderBy(desc(runs.createdAt))
    .limit(f.limit + 1);
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return { rows: page, nextCursor: more ? page[page.length - 1].createdAt.toISOString() : null };
}

/**
 * Cancel a run. Queued: cancelled at once (and its queue job cancelled). Running: the flag is
 * set and the worker stops at its next checkpoint (between symbols or chunks, within ~0.5 s).
 * Finished runs are returned unchanged.
 */
export async function cancelRun(db: Db, caller: WorkspaceCaller, runId: string): Promise<RunView> {
  const now = new Date();
  const row = await db.transaction(async (tx) => {
    const current = await getRun(tx, caller.workspaceId, runId);
    if (isTerminal(current.status)) return null;
    const [updated] = await tx
      .update(runs)
      .set(
        current.status === "queued"
          ? {
              status: "cancelled",
              cancelRequestedAt: now,
              finishedAt: now,
              updatedAt: now,
              progress: { ...current.progress, stage: "cancelled", etaSeconds: null },
            }
          : { cancelRequestedAt: now, updatedAt: now },
      )
      .where(and(eq(runs.id, runId), inArray(runs.status, statusesAllowing("cancel"))))
      .returning();
    // A hydrate run cancelled before it started: its hydration never gets batches; stop its symbols.
    if (updated?.status === "cancelled" && updated.input.kind === "hydrate")
      await cancelHydration(tx, updated.input.hydrationId, "cancelled with its run");
    await recordAudit(tx, {
      action: "run.cancelled",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "run", id: runId },
      metadata: { status: current.status },
    });
    return updated ?? null;
  });
  if (row?.status === "cancelled") {
    try {
      const { RUN_QUEUE } = await import("@/server/jobs/queues");
      await (await getBoss()).cancel(RUN_QUEUE, runId);
    } catch (err) {
      // The worker also skips cancelled runs, so a failed queue cancel only wastes one pickup.
      console.warn(`[runs] queue cancel of ${runId} failed:`, err instanceof Error ? err.message : err);
    }
  }
  return getRun(db, caller.workspaceId, runId);
}

export { watchRun, runEventStream, type RunSnapshot } from "@/server/jobs/watch";
