/**
 * `npm run worker`: a job worker process. Any number of them, on any machines, share the queues
 * of DATABASE_URL. In embedded mode it reaches the app's PGlite through the app's loopback socket
 * (or opens the folder itself when no app is running). SIGTERM/SIGINT stop it gracefully.
 */
import { bootWorker } from "@/server/boot";
import { closeDatabase } from "@/server/db";

const { handle, worker } = await bootWorker();
console.log(`worker ${process.pid} started (${handle.driver}${handle.pglite ? ", embedded" : ""})`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing running jobs…`);
  const force = setTimeout(() => process.exit(1), 30_000);
  force.unref();
  await worker.stop(20_000);
  await closeDatabase();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
