import "server-only";
/**
 * Running workers in a process: the in-process worker of the app and `npm run worker` both come
 * through here. Stopping is graceful: no new jobs are taken, running ones get up to `timeoutMs`
 * to finish, and whatever is still running is handed back to the queue (retried elsewhere).
 */
import type { PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import type { DatabaseHandle } from "@/server/db";
import { onShutdown } from "@/server/lifecycle";
import { getBoss, setBoss } from "./boss";
import { startWorkers, type WorkerOptions } from "./worker";

export interface RunningWorker {
  boss: PgBoss;
  stop(timeoutMs?: number): Promise<void>;
}

/** Subscribe this process (whose database is `handle`) to every queue. */
export async function runWorkerProcess(handle: DatabaseHandle, opts: WorkerOptions = {}): Promise<RunningWorker> {
  // The process-wide boss (the same instance services send with), on this process's database.
  const boss = await getBoss();
  const workers = await startWorkers(boss, handle.db, opts);
  let stopped: Promise<void> | null = null;
  const stop = (timeoutMs = env().LAB_SHUTDOWN_SECONDS * 1000) =>
    (stopped ??= (async () => {
      // Running jobs get `timeoutMs` in all; then pg-boss fails what is still running ("shut
      // down while active"), which hands it back to the queue for a retry elsewhere, and aborts it.
      const drained = await Promise.race([
        workers.stop().then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), timeoutMs).unref()),
      ]);
      await boss.stop({ graceful: true, close: true, timeout: drained ? timeoutMs : 1000 });
      setBoss(null);
    })());
  return { boss, stop };
}

const KEY = Symbol.for("strategy-lab.in-process-worker");
type G = typeof globalThis & { [KEY]?: Promise<RunningWorker | null> };

/**
 * The app's in-process worker (once per process), unless LAB_IN_PROCESS_WORKER=false. Started
 * by the app's boot (server/boot.ts); the CLI never calls it.
 */
export function startInProcessWorker(handle: DatabaseHandle): Promise<RunningWorker | null> {
  const g = globalThis as G;
  g[KEY] ??= (async () => {
    if (!env().LAB_IN_PROCESS_WORKER) return null;
    const running = await runWorkerProcess(handle);
    onShutdown("jobs-worker", () => running.stop());
    console.log("[jobs] in-process worker started");
    return running;
  })().catch((err: unknown) => {
    console.error("[jobs] in-process worker failed to start:", err);
    return null;
  });
  return g[KEY];
}
