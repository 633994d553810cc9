/**
 * `npm start`: serves the app on PORT (default 3000). Builds first when there is no build yet,
 * so a fresh clone needs only `npm ci && npm start`.
 *
 * A small custom server around Next so that the client's socket address reaches the app in
 * `x-lab-peer-ip` (any client-sent value is overwritten); X-Forwarded-For is believed only from
 * LAB_TRUSTED_PROXIES (server/http/client-ip.ts). It marks the process as the app's, so Next's
 * instrumentation hook boots the application (server/boot.ts), and shuts down gracefully on
 * SIGTERM/SIGINT.
 */
import "./require-node.mjs";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { installGracefulShutdown } from "./graceful-shutdown.mjs";
import { serverTimeoutOptions } from "./server-timeouts.mjs";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";
const require = createRequire(import.meta.url);

process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const distDir = process.env.LAB_NEXT_DIST_DIR || ".next";
if (!dev && !existsSync(path.join(process.cwd(), distDir, "BUILD_ID"))) {
  console.log("No production build found: running `next build` first (about a minute)…");
  const nextBin = require.resolve("next/dist/bin/next");
  const result = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Marks this as the app process: Next's instrumentation hook (instrumentation.ts) then boots the
// application (server/boot.ts: database, demo data, in-process worker) before the first request.
globalThis[Symbol.for("strategy-lab.app-process")] = true;

const { default: next } = await import("next");
const app = next({ dev, hostname: "localhost", port });
await app.prepare();
const handle = app.getRequestHandler();

// Set by the app's boot (server/ops/metrics-http.ts): serves /metrics and counts requests.
const HTTP_HOOKS = Symbol.for("strategy-lab.http-hooks");

// Tight timeouts (./server-timeouts.mjs): slow headers and never-ending bodies are cut in seconds.
const server = createServer(serverTimeoutOptions(), (req, res) => {
  req.headers["x-lab-peer-ip"] = req.socket.remoteAddress ?? "";
  const hooks = globalThis[HTTP_HOOKS];
  if (req.url === "/metrics" || req.url?.startsWith("/metrics?")) {
    // Served here, not by a Next route, so one registry sees every request of this process.
    if (hooks) void hooks.metrics(req, res);
    else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found\n");
    }
    return;
  }
  const started = performance.now();
  res.once("finish", () =>
    hooks?.observe(req.method ?? "GET", req.url ?? "/", res.statusCode, (performance.now() - started) / 1000),
  );
  // Log lines written while handling this request carry its id (x-request-id).
  if (hooks) hooks.request(req, res, () => handle(req, res));
  else handle(req, res);
});

server.listen(port, hostname, async () => {
  console.log(`Strategy Lab ready on http://localhost:${port}${dev ? " (dev)" : ""}`);
  try {
    // The app booted during prepare(); report what it found.
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    const body = await res.json();
    console.log(`database: ${body.database?.status} (${body.database?.driver}), version ${body.version}`);
  } catch (err) {
    console.error("warm-up failed:", err instanceof Error ? err.message : err);
  }
});

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish within LAB_SHUTDOWN_SECONDS,
// then the app's own shutdown (server/boot.ts registers it: worker drain, isolates, database).
installGracefulShutdown(server, {
  deadlineSeconds: Number(process.env.LAB_SHUTDOWN_SECONDS || 20),
  afterClose: async () => {
    const hook = globalThis[Symbol.for("strategy-lab.shutdown")];
    if (typeof hook === "function") await hook();
  },
});
