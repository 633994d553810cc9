/**
 * Metrics: a real scrape over HTTP of a started worker process (`npm run worker` with
 * LAB_METRICS_PORT) on the embedded database and on Postgres; the token rules; route labels.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { metricsResponse, routeLabel } from "@/server/ops/metrics-http";
import { metrics } from "@/server/ops/metrics";
import { createTestDatabase, DRIVERS } from "../../helpers/test-db";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const TOKEN = "metrics-token-0123456789abcdef";

function startWorker(env: Record<string, string>): { proc: ChildProcess; port: Promise<number>; output: () => string } {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "server/cli/worker.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      LAB_METRICS_PORT: "0",
      LAB_METRICS_TOKEN: TOKEN,
      LAB_DEMO_FEED_SECONDS: "0",
      LAB_METRICS_REFRESH_SECONDS: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stderr?.on("data", (d: Buffer) => (out += d));
  const port = new Promise<number>((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => {
      out += d;
      const m = /metrics on port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.on("exit", (code) => reject(new Error(`worker exited with ${code}: ${out}`)));
  });
  return { proc, port, output: () => out };
}

async function stop(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return proc.exitCode;
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  proc.kill("SIGTERM");
  return exited;
}

/** Sample values by full series text (`name{labels}`). */
function parse(text: string): { names: Set<string>; series: Map<string, number> } {
  const names = new Set<string>();
  const series = new Map<string, number>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type?.[1]) names.add(type[1]);
    if (line && !line.startsWith("#")) {
      const i = line.lastIndexOf(" ");
      series.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
  }
  return { names, series };
}

async function scrapeUntil(
  url: string,
  ready: (s: Map<string, number>) => boolean,
): Promise<{ text: string; series: Map<string, number>; names: Set<string> }> {
  for (let i = 0; ; i++) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const parsed = parse(text);
    if (ready(parsed.series) || i > 60) return { text, ...parsed };
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.each(DRIVERS)("worker /metrics over HTTP (%s)", (driver) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("serves ≥ 25 lab metrics with units, database gauges and process metrics; refuses a wrong token without naming metrics", async () => {
    let env: Record<string, string>;
    if (driver === "postgres") {
      const db = await createTestDatabase("postgres");
      cleanups.push(() => db.close());
      env = { DATABASE_URL: db.url ?? "" };
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), "lab-metrics-"));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      env = { LAB_DATA_DIR: dir, DATABASE_URL: "" };
    }
    const w = startWorker(env);
    cleanups.push(() => stop(w.proc));
    const port = await w.port;
    const url = `http://127.0.0.1:${port}/metrics`;

    const none = await fetch(url);
    expect(none.status).toBe(401);
    const wrong = await fetch(url, { headers: { authorization: "Bearer not-the-token-at-all-000000" } });
    expect(wrong.status).toBe(401);
    const wrongBody = await wrong.text();
    expect(wrongBody, "a refused scrape names no metric").not.toMatch(/lab_|process_|nodejs_/);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);

    const { names, series } = await scrapeUntil(
      url,
      (s) =>
        (s.get("lab_metrics_refresh_timestamp_seconds") ?? 0) > 0 &&
        (s.get('lab_workers_alive{role="worker"}') ?? 0) >= 1,
    );
    const lab = [...names].filter((n) => n.startsWith("lab_"));
    expect(lab.length, lab.join(", ")).toBeGreaterThanOrEqual(25);
    for (const n of lab)
      expect(n, "unit or kind in the name").toMatch(
        /_(total|seconds|bytes|jobs|ratio|connections|info|alive|state|strategies|score)$|^lab_strategies$/,
      );
    for (const n of [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_eventloop_lag_seconds",
      "nodejs_heap_size_used_bytes",
    ])
      expect(names.has(n), n).toBe(true);
    expect(
      series.get('lab_workers_alive{role="worker"}'),
      "this worker's heartbeat is in the database",
    ).toBeGreaterThanOrEqual(1);
    expect(series.get('lab_worker_heartbeats_total{role="worker"}')).toBeGreaterThanOrEqual(1);
    expect(series.get('lab_queue_depth_jobs{queue="runs",state="queued"}'), "queue depth read from pg-boss").toBe(0);
    expect(series.get('lab_queue_oldest_job_age_seconds{queue="runs"}')).toBe(0);
    expect(series.get("lab_db_size_bytes"), "pg_database_size").toBeGreaterThan(1_000_000);
    expect(series.get('lab_strategies{state="LIVE"}')).toBe(0);
    expect(
      [...series.keys()].some((k) => k.startsWith('lab_app_info{version="0.1.0"') && k.includes('role="worker"')),
    ).toBe(true);

    expect(await stop(w.proc), `graceful exit; output:\n${w.output()}`).toBe(0);
  }, 120_000);
});

describe("metrics endpoint rules", () => {
  afterEach(() => {
    delete process.env.LAB_METRICS_TOKEN;
    resetEnvCache();
  });

  it("answers 404 when no token is configured, 401 on a wrong one, 200 with the registry on the right one", async () => {
    delete process.env.LAB_METRICS_TOKEN;
    resetEnvCache();
    expect((await metricsResponse(`Bearer ${TOKEN}`)).status).toBe(404);
    process.env.LAB_METRICS_TOKEN = TOKEN;
    resetEnvCache();
    const wrong = await metricsResponse(`Bearer ${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.body).not.toContain("lab_");
    expect((await metricsResponse(TOKEN)).status, "the Bearer scheme is required").toBe(401);
    metrics().rateLimitRefusals.inc({ limit: "api_key_rpm" });
    const ok = await metricsResponse(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('lab_rate_limit_refusals_total{limit="api_key_rpm"} 1');
  });

  it("labels routes with ids collapsed and a bounded set of labels", () => {
    const seen = new Set<string>();
    expect(routeLabel("/api/v1/runs/6f1c7e0a-1b2c-4d5e-8f90-123456789abc?x=1", seen)).toBe("/api/v1/runs/:id");
    expect(routeLabel("/r/AbCdEfGhIjKlMnOpQrStUvWx", seen)).toBe("/r/:id");
    expect(routeLabel("/_next/static/chunks/abc.js", seen)).toBe("/_next/*");
    expect(routeLabel("/api/trpc/runs.list,strategies.get", seen)).toBe("/api/trpc/runs.list,strategies.get");
    for (let i = 0; i < 400; i++) routeLabel(`/probe-${i}-x`, seen);
    expect(seen.size).toBe(300);
    expect(routeLabel("/yet-another-path", seen)).toBe("other");
  });
});
