/**
 * Server mode's first minute, with real processes on a fresh Postgres database: the web process
 * (LAB_IN_PROCESS_WORKER=false) starts writing the demo universe at boot, two `npm run worker`
 * processes take the runs, and backtests on demo universes are submitted through
 * POST /api/v1/runs as soon as /api/health answers. Every accepted run must succeed once — the
 * runs that arrive while the universe is still being written wait for it, showing how far the
 * write is as their stage — never fail with "Universe … does not exist".
 * Needs Postgres (LAB_TEST_PG_URL) and the production build in LAB_NEXT_DIST_DIR; no browser.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PG_ADMIN_URL = process.env.LAB_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const NODE = [process.execPath, "--conditions=react-server", "--import", "tsx"];
const CODE = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "Close above SMA",
  description: "Long while the close is above its 20-day average.",
  params: { period: { type: "int", min: 2, max: 200, step: 1, default: 20 } },
  signals(bars, params, ta) {
    const avg = ta.sma(bars.close, params.period);
    const n = bars.close.length;
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      entries[i] = bars.close[i] > avg[i] ? 1 : 0;
      exits[i] = bars.close[i] < avg[i] ? 1 : 0;
    }
    return { entries, exits };
  },
});
`;

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

function run(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(args[0], args.slice(1), { cwd: ROOT, env: { ...process.env, ...env } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`${args.slice(4).join(" ")} → ${code}: ${err}`)),
    );
  });
}

test.describe("server mode, first minute", () => {
  test.skip(process.env.LAB_TEST_SKIP_POSTGRES === "1", "needs a Postgres server");
  test.describe.configure({ timeout: 420_000 });
  const children: ChildProcess[] = [];
  const logs: string[] = [];
  let dbName = "";
  let dataDir = "";

  test.afterAll(async () => {
    for (const c of children)
      if (c.pid !== undefined && c.exitCode === null)
        try {
          process.kill(-c.pid, "SIGKILL");
        } catch {
          /* gone */
        }
    await new Promise((r) => setTimeout(r, 500));
    if (dbName) {
      const drop = new pg.Client({ connectionString: PG_ADMIN_URL });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await drop.end();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test("runs accepted while the demo universe is written wait for it and all succeed", async ({}, testInfo) => {
    dbName = `lab_first_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${dbName}`;
    dataDir = mkdtempSync(path.join(tmpdir(), "lab-first-"));
    const port = await freePort();
    const env: Record<string, string> = {
      DATABASE_URL: u.toString(),
      LAB_IN_PROCESS_WORKER: "false",
      LAB_DEMO_FEED_SECONDS: "0",
      LAB_DATA_DIR: dataDir,
      LAB_NEXT_DIST_DIR: process.env.LAB_NEXT_DIST_DIR || ".next",
      AUTH_SECRET: randomBytes(24).toString("hex"),
      LAB_ENCRYPTION_KEY: randomBytes(24).toString("hex"),
      HOST: "127.0.0.1",
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: "1",
    };
    // The schema and an API key first (the operator CLI); the demo universe is the web's job.
    await run([...NODE, "server/cli/migrate.ts"], env);
    const email = `first-${randomBytes(4).toString("hex")}@example.test`;
    await run(
      [
        ...NODE,
        "server/cli/lab.ts",
        "admin",
        "create-user",
        "--email",
        email,
        "--password",
        "first minute password 42",
      ],
      env,
    );
    await run(
      [...NODE, "server/cli/lab.ts", "admin", "create-workspace", "--owner", email, "--slug", "first-minute"],
      env,
    );
    const key =
      (
        await run(
          [
            ...NODE,
            "server/cli/lab.ts",
            "admin",
            "create-key",
            "--workspace",
            "first-minute",
            "--scopes",
            "read,run",
            "--name",
            "first",
          ],
          env,
        )
      )
        .split("\n")
        .pop() ?? "";
    expect(key).toMatch(/^sl_/);

    const start = (args: string[]) => {
      const child = spawn(args[0], args.slice(1), {
        cwd: ROOT,
        env: { ...process.env, ...env },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout?.on("data", (d) => logs.push(`[${child.pid}] ${d}`));
      child.stderr?.on("data", (d) => logs.push(`[${child.pid}] ${d}`));
      children.push(child);
      return child;
    };
    start([...NODE, "server/cli/worker.ts"]);
    start([...NODE, "server/cli/worker.ts"]);
    const web = start([process.execPath, "server/http/start.mjs"]);
    const base = `http://127.0.0.1:${port}`;
    const t0 = Date.now();
    for (;;) {
      if (web.exitCode !== null) throw new Error(`web exited: ${logs.join("")}`);
      const ok = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() - t0 > 180_000) throw new Error(`web not healthy: ${logs.join("")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const healthyAfterMs = Date.now() - t0;
    const api = (p: string, init: RequestInit = {}) =>
      fetch(`${base}${p}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...init.headers },
      });

    const created = await api("/api/v1/strategies", {
      method: "POST",
      body: JSON.stringify({ name: "First minute", code: CODE }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const strategyId = (await created.json()).id as string;
    const universes = ["demo-tech", "demo-energy", "demo-utilities", "demo-financials", "demo-500", "demo-health-care"];
    const runIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await api("/api/v1/runs", {
        method: "POST",
        body: JSON.stringify({ mode: "backtest", strategy_id: strategyId, universe: universes[i % universes.length] }),
      });
      expect(res.status, await res.clone().text()).toBe(202);
      runIds.push((await res.json()).run_id);
    }
    const submittedAfterMs = Date.now() - t0;

    const stages = new Set<string>();
    const final = new Map<string, { status: string; error: string | null }>();
    const end = Date.now() + 330_000;
    while (final.size < runIds.length && Date.now() < end) {
      for (const id of runIds) {
        if (final.has(id)) continue;
        const r = await (await api(`/api/v1/runs/${id}`)).json();
        if (r.progress?.stage) stages.add(r.progress.stage);
        if (["succeeded", "failed", "cancelled"].includes(r.status))
          final.set(id, { status: r.status, error: r.error });
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const waiting = [...stages].filter((s) => /^waiting for the demo universe: \d+ of 500 symbols written$/.test(s));
    const figures = {
      healthyAfterMs,
      submittedAfterMs,
      runs: runIds.length,
      finished: final.size,
      waitingStages: waiting.length,
      stages: [...stages].slice(0, 12),
    };
    await testInfo.attach("figures", { body: JSON.stringify(figures, null, 2), contentType: "application/json" });
    console.log("[first minute]", JSON.stringify(figures));
    expect(
      [...final.values()].filter((r) => r.status !== "succeeded"),
      "every accepted run succeeds",
    ).toEqual([]);
    expect(final.size).toBe(runIds.length);
    expect(waiting.length, "runs submitted during the write showed it as their stage").toBeGreaterThan(0);
  });
});
