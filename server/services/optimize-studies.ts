import "server-only";
/**
 * Optimization studies of a strategy: its optimize runs with method, trial count, best value and
 * status (live from the study's trials while it runs), and resuming a stopped or finished study —
 * a new optimize run that starts from the earlier run's finished trials (the sampler sees them)
 * and evaluates `more` trials on top.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db";
import { optimizeTrials, runs, TERMINAL_RUN_STATUSES } from "@/server/db/schema";
import type { WorkspaceCaller } from "@/server/auth/access";
import { checkResumeOf, type OptimizeInput } from "./optimize-resume";
import { startRun } from "./runs";
import { getStrategyOrThrow } from "./strategies";

export interface StudyRow {
  runId: string;
  status: string;
  version: number | null;
  method: string;
  objective: string;
  direction: "maximize" | "minimize";
  nTrials: number;
  bestValue: number | null;
  resumeOf: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** The optimize runs of a strategy, newest first (at most `limit`). */
export async function listStudies(db: DbOrTx, workspaceId: string, strategyId: string, limit = 50) {
  // Another workspace's strategy answers like a missing one (NOT_FOUND), not with an empty list.
  await getStrategyOrThrow(db, workspaceId, strategyId);
  const rows = await db
    .select({
      id: runs.id,
      status: runs.status,
      input: runs.input,
      createdAt: runs.createdAt,
      finishedAt: runs.finishedAt,
      nTrials: sql<number>`(select count(*)::int from ${optimizeTrials} t where t.run_id = ${runs.id} and t.state <> 'running')`,
      maxValue: sql<
        number | null
      >`(select max((t.values->>0)::float8) from ${optimizeTrials} t where t.run_id = ${runs.id} and t.state = 'complete' and coalesce(t.violation, 0) <= 0)`,
      minValue: sql<
        number | null
      >`(select min((t.values->>0)::float8) from ${optimizeTrials} t where t.run_id = ${runs.id} and t.state = 'complete' and coalesce(t.violation, 0) <= 0)`,
    })
    .from(runs)
    .where(
      and(
        eq(runs.workspaceId, workspaceId),
        eq(runs.kind, "optimize"),
        sql`${runs.input}->>'strategyId' = ${strategyId}`,
      ),
    )
    .orderBy(desc(runs.createdAt))
    .limit(limit);
  return rows.map((r): StudyRow => {
    const input = r.input as OptimizeInput;
    const obj = input.study.objectives[0];
    return {
      runId: r.id,
      status: r.status,
      version: input.version ?? null,
      method: input.study.method,
      objective: obj.metric,
      direction: obj.direction,
      nTrials: r.nTrials,
      bestValue: obj.direction === "maximize" ? r.maxValue : r.minValue,
      resumeOf: input.resumeOf ?? null,
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    };
  });
}

/**
 * Resume a stopped or finished study with `more` trials: a new optimize run with the same strategy
 * version, data and study whose trial budget is the earlier trials plus `more`.
 */
export async function resumeStudy(
  db: Db,
  caller: WorkspaceCaller,
  runId: string,
  more: number,
): Promise<{ runId: string }> {
  const [row] = await db
    .select({ input: runs.input, status: runs.status, stopReason: sql<string | null>`${runs.result}->>'stop_reason'` })
    .from(runs)
    .where(and(eq(runs.id, runId), eq(runs.workspaceId, caller.workspaceId), eq(runs.kind, "optimize")))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Study not found.");
  // Not resumable in its current state: a conflict, not bad input.
  if (!TERMINAL_RUN_STATUSES.includes(row.status))
    throw new AppError("CONFLICT", `This study is still ${row.status}; resume it once it has stopped.`);
  if (row.stopReason === "grid_exhausted")
    throw new AppError("CONFLICT", "Every point of this study's grid has been evaluated; there is nothing to resume.");
  const input = await checkResumeOf(db, caller.workspaceId, (row.input as OptimizeInput).strategyId, runId);
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(optimizeTrials)
    .where(and(eq(optimizeTrials.runId, runId), sql`${optimizeTrials.state} <> 'running'`));
  const { strategyName: _s, ...spec } = input as OptimizeInput & { strategyName?: string };
  return startRun(db, caller, { ...spec, study: { ...spec.study, trials: n + more }, resumeOf: runId });
}

/**
 * The first step of a resumed study's run: copy the earlier run's finished trials (same numbers,
 * params, values, metrics and return series) into this run, once — a retried attempt finds them.
 */
export async function seedResumedTrials(db: DbOrTx, workspaceId: string, runId: string, fromRunId: string) {
  await db.execute(sql`
    insert into optimize_trial (run_id, number, params, state, values, violation, intermediate, metrics, returns, error, worker, attempts, lease_until, finished_at)
    select ${runId}::uuid, t.number, t.params, t.state, t.values, t.violation, t.intermediate, t.metrics, t.returns, t.error, t.worker, t.attempts, t.lease_until, t.finished_at
    from optimize_trial t join run r on r.id = t.run_id
    where t.run_id = ${fromRunId}::uuid and r.workspace_id = ${workspaceId}::uuid and t.state <> 'running'
      and not exists (select 1 from optimize_trial x where x.run_id = ${runId}::uuid)`);
}
