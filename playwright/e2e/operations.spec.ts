/**
 * Operations against the real custom server (server/http/start.mjs) of the production build, on
 * the embedded database and on Postgres: /metrics behind its token (404 without one configured,
 * 401 without leaking names, 200 with ≥ 25 lab metrics and counted requests), /api/health/ready,
 * request ids, and a clean exit on SIGTERM. Also the Operations page for a workspace admin.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { shot, submitSignUp, uniqueEmail } from "../fixtures/journey";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PG_ADMIN_URL = process.env.LAB_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TOKEN = randomBytes(20).toString("hex");
/** Secrets the spawned apps are configured with or sent; none may appear in their output. */
const SECRETS = {
  AUTH_SECRET: `auth-${randomBytes(16).toString("hex")}`,
  LAB_ENCRYPTION_KEY: `enc-${randomBytes(20).toString("hex")}`,
  OPENAI_API_KEY: `sk-proj-${randomBytes(16).toString("hex")}`,
  SMTP_URL: `smtp://alerts:Smtp${randomBytes(8).toString("hex")}@127.0.0.1:2525`,
};
const FAKE_API_KEY = `sl_AbCdEfGh_${randomBytes(32).toString("base64url")}`;

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

interface App {
  port: number;
  url: string;
  child: ChildProcess;
  log: () => string;
  cleanup: () => Promise<void>;
}

async function startApp(database: "pglite" | "postgres"): Promise<App> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "lab-ops-"));
  let dbName: string | null = null;
  let url = "";
  if (database === "postgres") {
    dbName = `lab_ops_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: url,
    LAB_DATA_DIR: dataDir,
    LAB_NEXT_DIST_DIR: process.env.LAB_NEXT_DIST_DIR || ".next",
    LAB_METRICS_TOKEN: TOKEN,
    ...SECRETS,
    LAB_METRICS_REFRESH_SECONDS: "1",
    LAB_DEMO_FEED_SECONDS: "0",
    LAB_SHUTDOWN_SECONDS: "5",
    NODE_ENV: "production",
  } as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, ["server/http/start.mjs"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const end = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited ${child.exitCode}: ${log}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > end) throw new Error(`app not healthy: ${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const cleanup = async () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  };
  return { port, url, child, log: () => log, cleanup };
}

test("without LAB_METRICS_TOKEN, /metrics does not exist", async ({ request }) => {
  test.skip(Boolean(process.env.LAB_METRICS_TOKEN), "the web server was given a token");
  const res = await request.get("/metrics", { headers: { authorization: "Bearer anything-at-all" } });
  expect(res.status()).toBe(404);
  expect(await res.text()).not.toContain("lab_");
});

test("a workspace owner sees the Operations page of their workspace", async ({ page }, testInfo) => {
  const slug = `ops-${Date.now().toString(36)}`;
  await page.goto("/sign-up");
  await submitSignUp(page, uniqueEmail("ops"), /\/w$/);
  await page.getByTestId("workspace-name").fill("Ops Desk");
  await page.getByTestId("workspace-slug").fill(slug);
  await page.getByTestId("create-workspace-submit").click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}$`));
  await page.getByTestId("nav-operations").click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}/operations$`));
  await expect(page.getByTestId("ops-failed-share")).toHaveText("0.0 % of 0");
  await expect(page.getByTestId("ops-error-budget")).toHaveText("5.0 %");
  await expect(page.getByTestId("ops-queue")).toHaveText("0 / 0");
  await expect(page.getByTestId("ops-runs-empty")).toBeVisible();
  await shot(page, testInfo, "operations");
});

for (const database of ["pglite", "postgres"] as const) {
  test.describe(`custom server operations (${database})`, () => {
    test.describe.configure({ timeout: 240_000 });
    test.skip(database === "postgres" && process.env.LAB_TEST_SKIP_POSTGRES === "1", "needs a Postgres server");
    let app: App | undefined;
    test.beforeAll(async () => {
      app = await startApp(database);
    });
    test.afterAll(async () => {
      await app?.cleanup();
    });

    test("/metrics is protected and counts the server's requests; ready; request ids; SIGTERM exits cleanly", async () => {
      if (!app) throw new Error("app did not start");
      const base = `http://127.0.0.1:${app.port}`;
      const health = await fetch(`${base}/api/health`);
      expect(health.headers.get("x-request-id"), "every answer names its request").toMatch(/^[0-9a-f-]{36}$/);
      const echoed = await fetch(`${base}/api/health`, { headers: { "x-request-id": "trace-abc-12345" } });
      expect(echoed.headers.get("x-request-id")).toBe("trace-abc-12345");

      const none = await fetch(`${base}/metrics`);
      expect(none.status).toBe(401);
      const wrong = await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong-token-000000000000" } });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).not.toMatch(/lab_|process_|nodejs_/);

      // Ready once the in-process worker has beaten.
      let ready: { ready: boolean; failing: string[]; version: string; buildId: string } | null = null;
      for (let i = 0; i < 40; i++) {
        const r = await fetch(`${base}/api/health/ready`);
        ready = await r.json();
        if (r.status === 200) break;
        await new Promise((res) => setTimeout(res, 500));
      }
      expect(ready?.ready, JSON.stringify(ready)).toBe(true);
      expect(ready?.version).toBe("0.1.0");
      expect(ready?.buildId).not.toBe("development");

      let text = "";
      for (let i = 0; i < 20; i++) {
        const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(ok.status).toBe(200);
        expect(ok.headers.get("content-type")).toContain("text/plain");
        text = await ok.text();
        if (/lab_workers_alive\{role="app"\} [1-9]/.test(text)) break;
        await new Promise((res) => setTimeout(res, 500));
      }
      const names = [...text.matchAll(/^# TYPE (lab_\S+)/gm)].map((m) => m[1]);
      expect(names.length, names.join(", ")).toBeGreaterThanOrEqual(25);
      expect(text).toMatch(/lab_http_requests_total\{method="GET",route="\/api\/health",status="200"\} [2-9]/);
      expect(text).toMatch(
        /lab_http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/health"\} \d+/,
      );
      expect(text).toMatch(/lab_http_requests_total\{method="GET",route="\/api\/health\/ready",status="(200|503)"\}/);
      expect(text).not.toContain('route="/metrics"');
      expect(text).toMatch(/lab_workers_alive\{role="app"\} [1-9]/);
      expect(text).toMatch(/lab_app_info\{version="0\.1\.0",build_id="[^"]+",role="app"\} 1/);
      expect(text).toContain("nodejs_eventloop_lag_seconds");
      expect(text).toMatch(/lab_db_size_bytes \d{6,}/);

      if (database === "postgres") {
        const client = new pg.Client({ connectionString: app.url });
        await client.connect();
        const audited = await client.query(
          "select count(*)::int as n from audit_log where action = 'auth.secrets_changed'",
        );
        await client.end();
        expect(audited.rows[0].n, "the app recorded its auth secrets at start").toBe(1);
      }
      // Requests carrying secrets: a made-up API key, the metrics token.
      const refused = await fetch(`${base}/api/v1/strategies`, {
        headers: { authorization: `Bearer ${FAKE_API_KEY}` },
      });
      expect(refused.status).toBe(401);
      await fetch(`${base}/api/v1/strategies?token=${TOKEN}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const exited = new Promise<number | null>((r) => app?.child.once("exit", (code) => r(code)));
      app.child.kill("SIGTERM");
      expect(await exited, app.log().slice(-2000)).toBe(0);
      const output = app.log();
      expect(output.length).toBeGreaterThan(100);
      const smtpPassword = new URL(SECRETS.SMTP_URL).password;
      for (const secret of [...Object.values(SECRETS), smtpPassword, TOKEN, FAKE_API_KEY])
        expect(output.includes(secret), `a secret (${secret.slice(0, 6)}…) in the server's output`).toBe(false);
    });
  });
}
