import "server-only";
/**
 * Operations services of a process, started by the composition root (server/boot.ts): the
 * metrics registry and its database-backed gauges, the HTTP hooks the custom server uses for
 * /metrics and request counting (app), the worker's own metrics port (LAB_METRICS_PORT), and the
 * worker heartbeat. Everything stops through the shutdown list (server/lifecycle.ts).
 */
import { env } from "@/lib/env";
import type { DatabaseHandle } from "@/server/db";
import { onShutdown } from "@/server/lifecycle";
import { startHeartbeat, type WorkerRole } from "./heartbeat";
import { metrics } from "./metrics";
import { startMetricsServer } from "./metrics-http";
import { startMetricsRefresh } from "./metrics-refresh";
import { APP_VERSION, appBuildId } from "./version";

export interface OpsOptions {
  role: WorkerRole;
  /** This process works the queues (writes heartbeats). */
  worksQueues: boolean;
}

export interface RunningOps {
  /** The worker's metrics port, when it serves one. */
  metricsPort: number | null;
}

/** Start the operations services of this process (idempotent per process). */
export async function startOps(handle: DatabaseHandle, opts: OpsOptions): Promise<RunningOps> {
  const m = metrics();
  m.appInfo.set({ version: APP_VERSION, build_id: appBuildId(), role: opts.role }, 1);
  const stopRefresh = startMetricsRefresh(handle);
  onShutdown("metrics-refresh", async () => stopRefresh());
  if (opts.worksQueues) {
    const stopBeat = await startHeartbeat(handle.db, opts.role);
    // Registered after the worker's own stop, so it runs before it (reverse order): the row goes
    // first, and readiness stops counting this process while it drains.
    onShutdown("worker-heartbeat", stopBeat);
  }
  let metricsPort: number | null = null;
  const port = env().LAB_METRICS_PORT;
  if (opts.role === "worker" && port !== undefined) {
    const served = await startMetricsServer(port);
    metricsPort = served.port;
    onShutdown("metrics-server", () => new Promise<void>((resolve) => served.server.close(() => resolve())));
  }
  return { metricsPort };
}
