/**
 * `npm run worker`: a job worker process. Any number of them, on any machines, share the queues
 * of DATABASE_URL. In embedded mode it reaches the app's PGlite through the app's loopback socket
 * (or opens the folder itself when no app is running). SIGTERM/SIGINT stop it gracefully.
 */
import "@/server/http/require-node.mjs";
import { env } from "@/lib/env";
import { bootWorker } from "@/server/boot";
import { runShutdown } from "@/server/lifecycle";

const { handle, ops } = await bootWorker();
const served = ops.metricsPort === null ? "" : `, metrics on port ${ops.metricsPort}`;
console.log(`worker ${process.pid} started (${handle.driver}${handle.pglite ? ", embedded" : ""}${served})`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing running jobs…`);
  const force = setTimeout(() => process.exit(1), (env().LAB_SHUTDOWN_SECONDS + 10) * 1000);
  force.unref();
  // Stops taking jobs, lets running ones finish (or hands them back), then closes the database.
  await runShutdown();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
