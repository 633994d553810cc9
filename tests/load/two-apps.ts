/**
 * Two app processes on one fresh Postgres database, for the rate-limit load test: start them one
 * after the other (both apply migrations idempotently), bootstrap a user, workspace and API key
 * through the operator CLI, hammer GET /api/v1/strategies on both ports at once with autocannon,
 * and return every answer's status and headers. Used by playwright/e2e/rate-limit.spec.ts and
 * runnable alone: `node --import tsx tests/load/rate-limit-two-processes.ts`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const PG_ADMIN_URL = process.env.LAB_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface Answer {
  port: number;
  status: number;
  retryAfter: string | null;
  remaining: string | null;
}

export interface Cluster {
  dbUrl: string;
  ports: [number, number];
  key: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(port: number, child: ChildProcess, log: () => string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`app on ${port} exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`app on ${port} not healthy after ${timeoutMs} ms:\n${log()}`);
}

/** `npm run lab -- <args>` (same node flags as the package script), returning stdout. */
function lab(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "server/cli/lab.ts", ...args],
      { cwd: ROOT, env: { ...process.env, ...env } },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`lab ${args.join(" ")} → ${code}: ${err}`)),
    );
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Start two app processes on a new database; `distDir` must hold a production build. */
export async function startCluster(opts: { distDir: string; rpm: number }): Promise<Cluster> {
  if (!existsSync(path.join(ROOT, opts.distDir, "BUILD_ID"))) throw new Error(`no production build in ${opts.distDir}`);
  const dbName = `lab_load_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${dbName}`;
  const dbUrl = u.toString();
  const dataDir = mkdtempSync(path.join(tmpdir(), "lab-load-"));
  const env: Record<string, string> = {
    DATABASE_URL: dbUrl,
    LAB_API_KEY_RPM: String(opts.rpm),
    LAB_IN_PROCESS_WORKER: "false",
    LAB_DEMO_FEED_SECONDS: "0",
    LAB_DATA_DIR: dataDir,
    LAB_NEXT_DIST_DIR: opts.distDir,
    AUTH_SECRET: randomBytes(24).toString("hex"),
    LAB_ENCRYPTION_KEY: randomBytes(24).toString("hex"),
    LAB_TRUSTED_PROXIES: "",
    HOST: "127.0.0.1",
  };
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children) killGroup(c, "SIGTERM");
    await Promise.all(
      children.map((c) =>
        c.exitCode !== null
          ? null
          : new Promise((r) => {
              const t = setTimeout(() => {
                killGroup(c, "SIGKILL");
                r(null);
              }, 10_000);
              c.once("exit", () => {
                clearTimeout(t);
                r(null);
              });
            }),
      ),
    );
    const drop = new pg.Client({ connectionString: PG_ADMIN_URL });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await drop.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    // One after the other: the second finds the migrations applied and skips them.
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, ["server/http/start.mjs"], {
        cwd: ROOT,
        env: { ...process.env, ...env, PORT: String(port) },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let log = "";
      child.stdout?.on("data", (d) => (log += d));
      child.stderr?.on("data", (d) => (log += d));
      await waitHealthy(port, child, () => log);
      ports.push(port);
    }
    const email = `load-${randomBytes(4).toString("hex")}@example.test`;
    await lab(["admin", "create-user", "--email", email, "--password", "load test password 42"], env);
    await lab(["admin", "create-workspace", "--owner", email, "--slug", "load-test"], env);
    const key =
      (await lab(["admin", "create-key", "--workspace", "load-test", "--scopes", "read", "--name", "load"], env))
        .split("\n")
        .pop() ?? "";
    if (!key.startsWith("sl_")) throw new Error(`create-key printed ${key}`);
    // Compile the route in both processes without spending limit points (the OpenAPI route is not limited).
    for (const p of ports) await fetch(`http://127.0.0.1:${p}/api/v1/openapi.json`);
    return { dbUrl, ports: [ports[0], ports[1]], key, env, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

export interface LoadRun {
  answers: Answer[];
  durationMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requestsPerSecond: number;
}

/** `perPort` GETs of /api/v1/strategies on each port at once (autocannon, `connections` each). */
export async function hammer(
  cluster: Cluster,
  perPort: number,
  connections: number,
  extraHeaders: Record<string, string> = {},
): Promise<LoadRun> {
  const answers: Answer[] = [];
  const t0 = performance.now();
  const results = await Promise.all(
    cluster.ports.map((port) =>
      autocannon({
        url: `http://127.0.0.1:${port}/api/v1/strategies`,
        connections,
        amount: perPort,
        timeout: 30,
        headers: { authorization: `Bearer ${cluster.key}`, ...extraHeaders },
        requests: [
          {
            method: "GET",
            onResponse: (status: number, _body: string, _ctx: unknown, headers: Record<string, string>) => {
              answers.push({
                port,
                status,
                retryAfter: headers["retry-after"] ?? null,
                remaining: headers["ratelimit-remaining"] ?? null,
              });
            },
          },
        ],
      }),
    ),
  );
  const durationMs = performance.now() - t0;
  return {
    answers,
    durationMs,
    latencyP50Ms: Math.max(...results.map((r) => r.latency.p50)),
    latencyP99Ms: Math.max(...results.map((r) => r.latency.p99)),
    requestsPerSecond: (answers.length * 1000) / durationMs,
  };
}
