/**
 * Graceful shutdown of an HTTP server (the app's custom server, server/http/start.mjs): on
 * SIGTERM or SIGINT it stops accepting connections at once, lets the requests in flight finish
 * within a deadline (their connections close after the response instead of being kept alive),
 * then cuts whatever is left, runs the application's own shutdown (worker drain, isolates,
 * database) and exits. A second signal while stopping changes nothing; a shutdown that hangs is
 * ended by a hard timer a little after the deadline.
 */

/**
 * Install the signal handlers on `server`. Returns `shutdown(signal)` (also for tests).
 *
 * @param {import("node:http").Server} server
 * @param {{ deadlineSeconds: number, afterClose?: () => Promise<void> | void, log?: (line: string) => void, exit?: (code: number) => void, signals?: NodeJS.Signals[] }} options
 */
export function installGracefulShutdown(server, options) {
  const {
    deadlineSeconds,
    afterClose,
    log = (line) => console.log(line),
    exit = (code) => process.exit(code),
  } = options;
  /** Responses not yet finished. */
  const inFlight = new Set();
  let stopping = false;

  server.on("request", (_req, res) => {
    // Asked to stop while this request was arriving: answer it, then close its connection.
    if (stopping && !res.headersSent) res.setHeader("connection", "close");
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
  });

  async function shutdown(signal) {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down (in-flight requests get ${deadlineSeconds} s)…`);
    const force = setTimeout(() => exit(1), (deadlineSeconds + 10) * 1000);
    force.unref();
    // Stop accepting; idle keep-alive sockets close now, busy ones once their response is sent.
    for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
    const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
    server.closeIdleConnections();
    const deadline = new Promise((resolve) => setTimeout(resolve, deadlineSeconds * 1000).unref());
    await Promise.race([closed, deadline]);
    if (inFlight.size > 0) log(`${inFlight.size} request(s) still running at the deadline: their connections are cut`);
    server.closeAllConnections();
    // Then the app's services: the worker drains (or hands its jobs back), isolates, database.
    try {
      if (afterClose) await afterClose();
    } catch (err) {
      console.error("shutdown hook failed:", err);
    }
    exit(0);
  }
  for (const signal of options.signals ?? ["SIGTERM", "SIGINT"]) process.on(signal, () => void shutdown(signal));
  return shutdown;
}
