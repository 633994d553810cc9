import "server-only";
/**
 * Readiness (/api/health/ready): can this instance do its job right now? Checks the database,
 * that every migration this build ships is applied, the job queue's tables, and that at least
 * one worker (in-process or `npm run worker`) was seen within LAB_JOB_HEARTBEAT_SECONDS.
 * Liveness stays /api/health (one `select 1`).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { count, gt, sql } from "drizzle-orm";
import { env } from "@/lib/env";
import { getDb, type Db } from "@/server/db";
import { MIGRATIONS_DIR } from "@/server/db/client";
import { workerHeartbeats } from "@/server/db/schema";
import { RUN_QUEUE } from "@/server/jobs/queues";
import { APP_VERSION, appBuildId } from "./version";
import { rowsOf } from "@/server/db/rows";

export type CheckName = "database" | "migrations" | "queue" | "workers";

export interface Check {
  ok: boolean;
  /** One sentence: what was found, or what is wrong and what to do. */
  detail: string;
}

export interface Readiness {
  ready: boolean;
  /** The checks that failed, by name (empty when ready). */
  failing: CheckName[];
  checks: Record<CheckName, Check>;
  version: string;
  buildId: string;
  time: string;
}

/** Migrations this build ships (drizzle/meta/_journal.json): their count and the newest one's tag and time. */
export function shippedMigrations(dir = MIGRATIONS_DIR): { count: number; latestTag: string; latestWhen: number } {
  const journal = JSON.parse(readFileSync(path.join(dir, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string; when: number }[];
  };
  const last = journal.entries.at(-1);
  return { count: journal.entries.length, latestTag: last?.tag ?? "none", latestWhen: last?.when ?? 0 };
}

/** Migrations applied to the database: their count and the newest one's time (drizzle's own table). */
export async function appliedMigrations(db: Db): Promise<{ count: number; latestWhen: number }> {
  const [row] = rowsOf(
    await db.execute(
      sql`select count(*)::int as n, coalesce(max(created_at), 0)::float8 as latest from drizzle.__drizzle_migrations`,
    ),
  );
  return { count: Number(row?.n ?? 0), latestWhen: Number(row?.latest ?? 0) };
}

async function check(fn: () => Promise<string>): Promise<Check> {
  try {
    return { ok: true, detail: await fn() };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

/** Run every readiness check against `db` (default: the process's database). */
export async function readiness(dbArg?: Db): Promise<Readiness> {
  let db: Db | null = dbArg ?? null;
  const database = await check(async () => {
    db ??= await getDb();
    await db.execute(sql`select 1`);
    return "reachable";
  });
  const skipped: Check = { ok: false, detail: "not checked: the database is unreachable" };
  const live = database.ok && db ? db : null;
  const migrations = live
    ? await check(async () => {
        const shipped = shippedMigrations();
        const applied = await appliedMigrations(live);
        if (applied.count < shipped.count || applied.latestWhen < shipped.latestWhen)
          throw new Error(
            `${applied.count} of ${shipped.count} migrations applied (newest shipped: ${shipped.latestTag}); run npm run db:migrate`,
          );
        return applied.count > shipped.count
          ? `${applied.count} applied, ${shipped.count} shipped: the database is ahead of this build (a newer version migrated it)`
          : `${applied.count} of ${shipped.count} applied (newest: ${shipped.latestTag})`;
      })
    : skipped;
  const queue = live
    ? await check(async () => {
        const rows = rowsOf(await live.execute(sql`select name from pgboss.queue`)).map((r) => String(r.name));
        if (!rows.includes(RUN_QUEUE))
          throw new Error(`the job queue "${RUN_QUEUE}" does not exist yet; start a worker or the app once`);
        return `${rows.length} queues`;
      }).then((c) =>
        c.ok || !/pgboss/.test(c.detail)
          ? c
          : { ok: false, detail: "the job queue's tables do not exist yet; start a worker or the app once" },
      )
    : skipped;
  const windowSeconds = env().LAB_JOB_HEARTBEAT_SECONDS;
  const workers = live
    ? await check(async () => {
        const [row] = await live
          .select({ n: count() })
          .from(workerHeartbeats)
          .where(gt(workerHeartbeats.seenAt, new Date(Date.now() - windowSeconds * 1000)));
        const n = Number(row?.n ?? 0);
        if (n === 0)
          throw new Error(
            `no worker seen in the last ${windowSeconds} s; runs would wait in the queue (start npm run worker, or LAB_IN_PROCESS_WORKER=true)`,
          );
        return `${n} worker${n === 1 ? "" : "s"} seen in the last ${windowSeconds} s`;
      })
    : skipped;
  const checks = { database, migrations, queue, workers };
  const failing = (Object.keys(checks) as CheckName[]).filter((k) => !checks[k].ok);
  return {
    ready: failing.length === 0,
    failing,
    checks,
    version: APP_VERSION,
    buildId: appBuildId(),
    time: new Date().toISOString(),
  };
}
