import "server-only";
/**
 * The process's pg-boss instance. Embedded PGlite (this process owns the folder): pg-boss's
 * built-in PGlite adapter on the same instance the app uses. A URL (Postgres, or the embedded
 * app's loopback socket): pg-boss's own pool. Created lazily and cached on globalThis.
 */
import { fromPglite, PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import type { DatabaseHandle } from "@/server/db";
import { readLock } from "@/server/db/data-dir";
import { ensureQueues } from "./queues";

/** Where pg-boss keeps its tables: a PGlite instance or a connection URL. */
export type BossTarget = { pglite: NonNullable<DatabaseHandle["pglite"]> } | { url: string };

export interface BossOptions {
  /** Seconds between supervisor passes (expired / heartbeat-less jobs are retried on a pass). */
  monitorSeconds?: number;
  heartbeatSeconds?: number;
  retryDelaySeconds?: number;
  /** Run cron schedules in this instance (default true). */
  schedule?: boolean;
}

/** Start a pg-boss instance against `target` and make sure every queue exists. */
export async function createBoss(target: BossTarget, opts: BossOptions = {}): Promise<PgBoss> {
  const e = env();
  const monitor = opts.monitorSeconds ?? e.LAB_QUEUE_MONITOR_SECONDS;
  const common = {
    superviseIntervalSeconds: monitor,
    monitorIntervalSeconds: monitor,
    cronMonitorIntervalSeconds: Math.max(monitor, 5),
    schedule: opts.schedule ?? true,
    monitorVacuum: false,
    reindex: false,
    // Wake workers of notify-enabled queues (./queues.ts) the moment a job is sent.
    useListenNotify: true,
  };
  const boss =
    "pglite" in target
      ? new PgBoss({ db: fromPglite(target.pglite), backend: "pglite", ...common })
      : new PgBoss({
          connectionString: target.url.replace(/^neon:/, "postgres:"),
          max: 6,
          application_name: "strategy-lab-jobs",
          ...common,
        });
  boss.on("error", (err) => console.error("[jobs] pg-boss error:", err instanceof Error ? err.message : err));
  await boss.start();
  await ensureQueues(boss, {
    heartbeatSeconds: opts.heartbeatSeconds ?? e.LAB_JOB_HEARTBEAT_SECONDS,
    retryDelaySeconds: opts.retryDelaySeconds,
  });
  return boss;
}

/** The boss target for a database handle: the PGlite instance when we own it, else a URL. */
export function bossTargetFor(handle: DatabaseHandle & { url?: string }): BossTarget {
  if (handle.pglite) return { pglite: handle.pglite };
  if (handle.url) return { url: handle.url };
  const url = env().DATABASE_URL;
  if (url) return { url };
  const lock = readLock();
  if (lock) return { url: `postgres://postgres@127.0.0.1:${lock.port}/postgres` };
  throw new Error("No queue database: neither DATABASE_URL nor a running embedded app was found.");
}

const KEY = Symbol.for("strategy-lab.boss");
type G = typeof globalThis & { [KEY]?: Promise<PgBoss> };

/** The process-wide boss (sending only; workers are started separately). */
export function getBoss(): Promise<PgBoss> {
  const g = globalThis as G;
  if (!g[KEY]) {
    g[KEY] = (async () => {
      const { getDatabase } = await import("@/server/db");
      return createBoss(bossTargetFor(await getDatabase()));
    })().catch((err: unknown) => {
      delete g[KEY];
      throw err;
    });
  }
  return g[KEY];
}

/** Use `boss` as the process-wide instance (worker CLI, tests). */
export function setBoss(boss: PgBoss | null): void {
  const g = globalThis as G;
  if (boss) g[KEY] = Promise.resolve(boss);
  else delete g[KEY];
}

/** Stop the process-wide boss gracefully: running jobs finish (or are handed back after `timeoutMs`). */
export async function stopBoss(timeoutMs = 20_000): Promise<void> {
  const g = globalThis as G;
  const pending = g[KEY];
  delete g[KEY];
  if (!pending) return;
  const boss = await pending.catch(() => null);
  await boss?.stop({ graceful: true, close: true, timeout: timeoutMs });
}
