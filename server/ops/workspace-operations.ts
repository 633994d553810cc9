import "server-only";
/**
 * The Operations page's figures for ONE workspace: its runs (by status, failure share over the
 * last hour against the error budget, durations), its queue (waiting and running, oldest
 * waiting), strategies by lifecycle state, alert deliveries, and today's LLM tokens. Every
 * query is filtered by the workspace id; nothing about other workspaces is read. The outbound
 * dependencies' breaker states are shared by every workspace (one breaker per provider) and
 * are shown as such.
 */
import { and, count, eq, gte, inArray, sql } from "drizzle-orm";
import { env } from "@/lib/env";
import type { DbOrTx } from "@/server/db";
import { alertDeliveries, runs, strategies } from "@/server/db/schema";
import { appProviders } from "@/server/data/provider-import";
import { peekLimit } from "@/server/services/rate-limit";
import { dependencyStates } from "./resilience";
import { rowsOf } from "@/server/db/rows";

export interface WorkspaceOperations {
  generatedAt: string;
  runs24h: { status: string; kind: string; count: number }[];
  lastHour: { finished: number; failed: number; failedShare: number; budget: number };
  durations24h: { kind: string; count: number; medianSeconds: number; p95Seconds: number }[];
  queue: { waiting: number; running: number; oldestWaitingSeconds: number };
  strategiesByState: Record<string, number>;
  deliveries24h: Record<string, number>;
  llmTokensToday: { used: number; budget: number };
  dependencies: { name: string; state: string }[];
}

/** Figures of workspace `workspaceId` at `now`. */
export async function workspaceOperations(
  db: DbOrTx,
  workspaceId: string,
  now = new Date(),
): Promise<WorkspaceOperations> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const mine = eq(runs.workspaceId, workspaceId);
  const runs24h = await db
    .select({ status: runs.status, kind: runs.kind, count: count() })
    .from(runs)
    .where(and(mine, gte(runs.createdAt, dayAgo)))
    .groupBy(runs.status, runs.kind)
    .orderBy(runs.kind, runs.status);
  const [hour] = await db
    .select({
      finished: count(),
      failed: sql<number>`count(*) filter (where ${runs.status} = 'failed')`.mapWith(Number),
    })
    .from(runs)
    .where(and(mine, inArray(runs.status, ["succeeded", "failed"]), gte(runs.finishedAt, hourAgo)));
  const durations = rowsOf(
    await db.execute(sql`
      select kind, count(*)::int as n,
        percentile_cont(0.5) within group (order by extract(epoch from finished_at - started_at))::float8 as p50,
        percentile_cont(0.95) within group (order by extract(epoch from finished_at - started_at))::float8 as p95
      from run where workspace_id = ${workspaceId} and status = 'succeeded' and finished_at >= ${dayAgo.toISOString()} and started_at is not null
      group by kind order by kind`),
  );
  const [queue] = rowsOf(
    await db.execute(sql`
      select count(*) filter (where status = 'queued')::int as waiting, count(*) filter (where status = 'running')::int as running,
        coalesce(extract(epoch from ${now.toISOString()}::timestamptz - min(created_at) filter (where status = 'queued')), 0)::float8 as oldest
      from run where workspace_id = ${workspaceId} and status in ('queued', 'running')`),
  );
  const states = await db
    .select({ state: strategies.state, n: count() })
    .from(strategies)
    .where(eq(strategies.workspaceId, workspaceId))
    .groupBy(strategies.state);
  const deliveries = await db
    .select({ status: alertDeliveries.status, n: count() })
    .from(alertDeliveries)
    .where(and(eq(alertDeliveries.workspaceId, workspaceId), gte(alertDeliveries.createdAt, dayAgo)))
    .groupBy(alertDeliveries.status);
  const budget = env().LAB_LLM_TOKENS_PER_DAY;
  const tokens = await peekLimit(db, "workspace-llm-tokens", workspaceId, {
    points: budget,
    durationSeconds: 86_400,
    message: "",
  });
  const finished = hour?.finished ?? 0;
  const failed = hour?.failed ?? 0;
  return {
    generatedAt: now.toISOString(),
    runs24h: runs24h.map((r) => ({ status: r.status, kind: r.kind, count: r.count })),
    lastHour: { finished, failed, failedShare: finished === 0 ? 0 : failed / finished, budget: env().LAB_ERROR_BUDGET },
    durations24h: durations.map((d) => ({
      kind: String(d.kind),
      count: Number(d.n),
      medianSeconds: Number(d.p50),
      p95Seconds: Number(d.p95),
    })),
    queue: {
      waiting: Number(queue?.waiting ?? 0),
      running: Number(queue?.running ?? 0),
      oldestWaitingSeconds: Math.max(0, Number(queue?.oldest ?? 0)),
    },
    strategiesByState: Object.fromEntries(
      ["CANDIDATE", "SHADOW", "LIVE", "DISABLED"].map((s) => [s, states.find((x) => x.state === s)?.n ?? 0]),
    ),
    deliveries24h: Object.fromEntries(
      ["delivered", "failed", "pending"].map((s) => [s, deliveries.find((x) => x.status === s)?.n ?? 0]),
    ),
    llmTokensToday: { used: tokens.consumed, budget },
    dependencies: (() => {
      // Market-data providers register their policy too; their own view of it wins (one row each).
      const market = appProviders().map((p) => ({
        name: `market:${p.name}`,
        state: p.resilience?.breakerState ?? "closed",
      }));
      const names = new Set(market.map((m) => m.name));
      return [...dependencyStates().filter((d) => !names.has(d.name)), ...market];
    })(),
  };
}
