import "server-only";
/**
 * Worker heartbeats: a process that works the queues writes its row in `worker_heartbeat`
 * every third of LAB_JOB_HEARTBEAT_SECONDS, so readiness and the workers-alive gauge can tell
 * whether anything is consuming jobs. Rows of processes gone for a day are removed.
 */
import { hostname } from "node:os";
import { eq, lt } from "drizzle-orm";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { workerHeartbeats } from "@/server/db/schema";
import { metrics } from "./metrics";
import { APP_VERSION } from "./version";

export type WorkerRole = "app" | "worker";

/** Write one heartbeat for this process now. */
export async function beat(db: Db, id: string, role: WorkerRole, startedAt: Date): Promise<void> {
  const now = new Date();
  await db
    .insert(workerHeartbeats)
    .values({ id, role, host: hostname(), pid: process.pid, version: APP_VERSION, startedAt, seenAt: now })
    .onConflictDoUpdate({ target: workerHeartbeats.id, set: { seenAt: now, version: APP_VERSION } });
  const m = metrics();
  m.workerHeartbeats.inc({ role });
  m.workerLastHeartbeat.set(now.getTime() / 1000);
}

/** Beat now and periodically until the returned stop() (which removes this process's row). */
export async function startHeartbeat(db: Db, role: WorkerRole): Promise<() => Promise<void>> {
  const startedAt = new Date();
  const id = `${hostname()}:${process.pid}:${startedAt.getTime()}`;
  const periodMs = Math.max(3, Math.floor(env().LAB_JOB_HEARTBEAT_SECONDS / 3)) * 1000;
  await beat(db, id, role, startedAt);
  await db.delete(workerHeartbeats).where(lt(workerHeartbeats.seenAt, new Date(Date.now() - 86_400_000)));
  const timer = setInterval(() => {
    beat(db, id, role, startedAt).catch((err: unknown) =>
      console.warn("[ops] heartbeat failed:", err instanceof Error ? err.message : err),
    );
  }, periodMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await db
      .delete(workerHeartbeats)
      .where(eq(workerHeartbeats.id, id))
      .catch(() => undefined);
  };
}
