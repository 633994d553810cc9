import "server-only";
/**
 * Database-backed gauges, refreshed every LAB_METRICS_REFRESH_SECONDS (60 by default) instead of
 * on every scrape, so many scrapers cost the database one small query set per period: queue
 * depth and oldest waiting job per pg-boss queue, workers seen within the heartbeat window,
 * strategies by lifecycle state, database size and connection pool use.
 */
import { count, gt, sql } from "drizzle-orm";
import { env } from "@/lib/env";
import type { DatabaseHandle } from "@/server/db";
import { strategies, workerHeartbeats } from "@/server/db/schema";
import { queueDefinitions } from "@/server/jobs/queues";
import { metrics } from "./metrics";
import { rowsOf } from "@/server/db/rows";

/** One refresh of every database-backed gauge. Parts that fail (e.g. no queue schema yet) are skipped. */
export async function refreshDatabaseMetrics(handle: DatabaseHandle): Promise<void> {
  const m = metrics();
  const db = handle.db;
  const queues = queueDefinitions({ heartbeatSeconds: 30 }).map((q) => (q as { name: string }).name);
  try {
    const rows = rowsOf(
      await db.execute(sql`
        select name,
          count(*) filter (where state in ('created', 'retry'))::int as queued,
          count(*) filter (where state = 'active')::int as active,
          coalesce(extract(epoch from now() - min(created_on) filter (where state in ('created', 'retry') and start_after <= now())), 0)::float8 as oldest
        from pgboss.job where state in ('created', 'retry', 'active') group by name`),
    );
    const byName = new Map(rows.map((r) => [String(r.name), r]));
    for (const name of new Set([...queues, ...byName.keys()])) {
      const r = byName.get(name);
      m.queueDepth.set({ queue: name, state: "queued" }, Number(r?.queued ?? 0));
      m.queueDepth.set({ queue: name, state: "active" }, Number(r?.active ?? 0));
      m.queueOldestAge.set({ queue: name }, Math.max(0, Number(r?.oldest ?? 0)));
    }
  } catch {
    // No pg-boss schema yet (nothing was ever queued): depth stays unset.
  }
  const window = env().LAB_JOB_HEARTBEAT_SECONDS;
  const workers = await db
    .select({ role: workerHeartbeats.role, n: count() })
    .from(workerHeartbeats)
    .where(gt(workerHeartbeats.seenAt, new Date(Date.now() - window * 1000)))
    .groupBy(workerHeartbeats.role);
  m.workersAlive.reset();
  for (const role of ["app", "worker"])
    m.workersAlive.set({ role }, Number(workers.find((r) => r.role === role)?.n ?? 0));
  const states = await db.select({ state: strategies.state, n: count() }).from(strategies).groupBy(strategies.state);
  m.strategiesByState.reset();
  for (const state of ["CANDIDATE", "SHADOW", "LIVE", "DISABLED"]) m.strategiesByState.set({ state }, 0);
  for (const r of states) m.strategiesByState.set({ state: String(r.state) }, Number(r.n));
  // Fitness: the grade of each strategy's most recent succeeded backtest, averaged per state.
  const fitness = rowsOf(
    await db.execute(sql`
      select s.state, avg((r.result->'grade'->>'score')::float8)::float8 as score
      from ${strategies} s
      join lateral (
        select result from run
        where run.workspace_id = s.workspace_id and run.kind = 'backtest' and run.status = 'succeeded'
          and run.input->>'strategyId' = s.id::text and run.result->'grade' ? 'score'
        order by run.finished_at desc limit 1
      ) r on true
      group by s.state`),
  );
  m.strategyFitness.reset();
  for (const r of fitness) m.strategyFitness.set({ state: String(r.state) }, Number(r.score));
  const [size] = rowsOf(await db.execute(sql`select pg_database_size(current_database())::float8 as bytes`));
  m.dbSize.set(Number(size?.bytes ?? 0));
  readPool(handle);
  m.metricsRefreshed.set(Date.now() / 1000);
}

function readPool(handle: DatabaseHandle): void {
  const m = metrics();
  const pool = handle.pool as { totalCount?: number; idleCount?: number; waitingCount?: number } | undefined;
  if (pool && typeof pool.totalCount === "number") {
    m.dbPoolConnections.set({ state: "total" }, pool.totalCount);
    m.dbPoolConnections.set({ state: "idle" }, pool.idleCount ?? 0);
    m.dbPoolConnections.set({ state: "waiting" }, pool.waitingCount ?? 0);
  } else {
    // Embedded PGlite: one in-process connection.
    m.dbPoolConnections.set({ state: "total" }, 1);
    m.dbPoolConnections.set({ state: "idle" }, 0);
    m.dbPoolConnections.set({ state: "waiting" }, 0);
  }
}

/** Refresh now and then every `seconds`; returns a stop function. */
export function startMetricsRefresh(handle: DatabaseHandle, seconds = env().LAB_METRICS_REFRESH_SECONDS): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await refreshDatabaseMetrics(handle);
    } catch (err) {
      console.warn("[metrics] refresh failed:", err instanceof Error ? err.message : err);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
