import "server-only";
/**
 * The composition root: the one place that starts the application's long-lived parts. Opening
 * the database (server/db) only opens it; everything that runs in the background starts here.
 *
 * - App process (`npm start` / `npm run dev`: server/http/start.mjs → Next → instrumentation.ts →
 *   {@link bootApp}): opens the database (applying migrations), starts writing the demo universe
 *   in the background (a fresh database takes a while; later starts find it stored) and starts
 *   the in-process job worker unless LAB_IN_PROCESS_WORKER=false. The worker works every queue
 *   and schedules the demo live feed (LAB_DEMO_FEED_SECONDS).
 * - Worker process (`npm run worker`: server/cli/worker.ts → {@link bootWorker}): opens the
 *   database and works every queue.
 *
 * Request code never waits on start-up state kept in memory: a run on a demo universe that is
 * still being written watches the rows arrive in the database (server/data/demo-ready.ts), which
 * works the same from any process.
 */
import { ensureDemoInBackground } from "@/server/data/demo-ready";
import { getDatabase, type DatabaseHandle } from "@/server/db";
import { runWorkerProcess, startInProcessWorker, type RunningWorker } from "@/server/jobs/process";
import type { WorkerOptions } from "@/server/jobs/worker";
import { onShutdown } from "@/server/lifecycle";
import { shutdownSandbox } from "@/server/sandbox";
import { startOps, type RunningOps } from "@/server/ops";
import { installHttpHooks } from "@/server/ops/metrics-http";
import { auditAuthSecrets } from "@/server/ops/rotation";
import { startLogging } from "@/server/ops/start-logging";

/** Set by server/http/start.mjs before Next loads: this process serves the app. */
const APP_PROCESS = Symbol.for("strategy-lab.app-process");

/** True in the app's server process (never in `next build`, the CLI, workers or tests). */
export function isAppProcess(): boolean {
  return (globalThis as Record<symbol, unknown>)[APP_PROCESS] === true;
}

export interface Booted {
  handle: DatabaseHandle;
  /** null when the in-process worker is turned off (LAB_IN_PROCESS_WORKER=false) or failed to start. */
  worker: RunningWorker | null;
}

const BOOTED = Symbol.for("strategy-lab.booted");
type G = typeof globalThis & { [BOOTED]?: Promise<Booted> };

/** Start the app process's services (once per process; later calls return the same start). */
export function bootApp(): Promise<Booted> {
  const g = globalThis as G;
  g[BOOTED] ??= (async () => {
    // Logs, /metrics and request counting work even while the database is still unreachable.
    await startLogging();
    installHttpHooks();
    const handle = await getDatabase();
    void ensureDemoInBackground(handle.db);
    onShutdown("sandbox", async () => shutdownSandbox());
    const worker = await startInProcessWorker(handle);
    await startOps(handle, { role: "app", worksQueues: worker !== null });
    // Loaded here only: the auth config pulls in next-auth, which the worker process never needs.
    await import("@/server/auth/config")
      .then(({ authSecrets }) => auditAuthSecrets(handle.db, authSecrets()))
      .catch((err: unknown) =>
        console.warn("[ops] could not audit the auth secrets:", err instanceof Error ? err.message : err),
      );
    return { handle, worker };
  })().catch((err: unknown) => {
    delete g[BOOTED];
    throw err;
  });
  return g[BOOTED];
}

/** Start a worker process: open the database and work every queue. */
export async function bootWorker(
  opts: WorkerOptions = {},
): Promise<{ handle: DatabaseHandle; worker: RunningWorker; ops: RunningOps }> {
  await startLogging();
  const handle = await getDatabase();
  // Registered before the worker, so it runs after the worker drained (cleanups run in reverse).
  onShutdown("sandbox", async () => shutdownSandbox());
  const worker = await runWorkerProcess(handle, opts);
  onShutdown("jobs-worker", () => worker.stop());
  const ops = await startOps(handle, { role: "worker", worksQueues: true });
  return { handle, worker, ops };
}
