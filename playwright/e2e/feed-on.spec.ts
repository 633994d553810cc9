/**
 * The journey as a newcomer gets it: the embedded default (no DATABASE_URL, in-process worker)
 * with the demo live feed ON at its default interval — the other specs turn the feed off. A
 * script submits backtests on a demo universe one after another until the feed has appended at
 * least one bar in between; every run must succeed (a run never fails on a tick in progress)
 * and the later runs see the new bar on every symbol. No browser; its own app process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NODE = [process.execPath, "--conditions=react-server", "--import", "tsx"];
const CODE = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "Momentum",
  description: "Long while the 10-day change is positive.",
  params: {},
  signals(bars) {
    const n = bars.close.length;
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    for (let i = 10; i < n; i++) {
      entries[i] = bars.close[i] > bars.close[i - 10] ? 1 : 0;
      exits[i] = bars.close[i] < bars.close[i - 10] ? 1 : 0;
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

function lab(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE[0], [...NODE.slice(1), "server/cli/lab.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`lab ${args.join(" ")} → ${code}: ${err}`)),
    );
  });
}

test.describe("embedded default with the demo feed on", () => {
  test.describe.configure({ timeout: 480_000 });
  let app: ChildProcess | undefined;
  let dataDir = "";
  const logs: string[] = [];

  test.afterAll(async () => {
    if (app?.pid !== undefined && app.exitCode === null) {
      process.kill(-app.pid, "SIGTERM");
      await new Promise((r) => {
        const t = setTimeout(r, 15_000);
        app?.once("exit", () => {
          clearTimeout(t);
          r(null);
        });
      });
      if (app.exitCode === null)
        try {
          process.kill(-app.pid, "SIGKILL");
        } catch {
          /* gone */
        }
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test("backtests keep succeeding while the feed appends bars", async ({}, testInfo) => {
    dataDir = mkdtempSync(path.join(tmpdir(), "lab-feed-"));
    const port = await freePort();
    // Only what a newcomer has: a data folder and a port (LAB_DEMO_FEED_SECONDS unset = its default).
    const env: Record<string, string> = {
      LAB_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LAB_NEXT_DIST_DIR: process.env.LAB_NEXT_DIST_DIR || ".next",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv.LAB_DEMO_FEED_SECONDS;
    delete childEnv.DATABASE_URL;
    app = spawn(process.execPath, ["server/http/start.mjs"], {
      cwd: ROOT,
      env: childEnv,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    app.stdout?.on("data", (d) => logs.push(String(d)));
    app.stderr?.on("data", (d) => logs.push(String(d)));
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(
        async () =>
          fetch(`${base}/api/health`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 180_000, intervals: [250] },
      )
      .toBe(200);

    const cliEnv = { LAB_DATA_DIR: dataDir };
    const email = `feed-${randomBytes(4).toString("hex")}@example.test`;
    await lab(["admin", "create-user", "--email", email, "--password", "feed journey password 42"], cliEnv);
    await lab(["admin", "create-workspace", "--owner", email, "--slug", "feed-on"], cliEnv);
    const key =
      (await lab(["admin", "create-key", "--workspace", "feed-on", "--scopes", "read,run", "--name", "feed"], cliEnv))
        .split("\n")
        .pop() ?? "";
    const api = (p: string, init: RequestInit = {}) =>
      fetch(`${base}${p}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...init.headers },
      });
    const created = await api("/api/v1/strategies", { method: "POST", body: JSON.stringify({ code: CODE }) });
    expect(created.status, await created.clone().text()).toBe(201);
    const strategyId = (await created.json()).id as string;

    const results: { status: string; error: string | null; bars: number | null; symbols: number | null }[] = [];
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      const res = await api("/api/v1/runs", {
        method: "POST",
        body: JSON.stringify({ mode: "backtest", strategy_id: strategyId, universe: "demo-tech" }),
      });
      expect(res.status).toBe(202);
      const { run_id } = await res.json();
      let run: {
        status: string;
        error: string | null;
        result: { summary?: { bars?: number; symbols_processed?: number } } | null;
      };
      do {
        await new Promise((r) => setTimeout(r, 300));
        run = await (await api(`/api/v1/runs/${run_id}`)).json();
      } while (!["succeeded", "failed", "cancelled"].includes(run.status));
      results.push({
        status: run.status,
        error: run.error,
        bars: run.result?.summary?.bars ?? null,
        symbols: run.result?.summary?.symbols_processed ?? null,
      });
      const bars = results.map((r) => r.bars ?? 0);
      if (results.length >= 3 && Math.max(...bars) > Math.min(...bars) && bars[bars.length - 1] === Math.max(...bars))
        break;
    }
    const bars = results.map((r) => r.bars);
    await testInfo.attach("runs", { body: JSON.stringify(results, null, 2), contentType: "application/json" });
    console.log("[feed on]", JSON.stringify({ runs: results.length, bars: [...new Set(bars)] }));
    expect(
      results.filter((r) => r.status !== "succeeded"),
      "no run fails while the feed ticks",
    ).toEqual([]);
    expect(Math.max(...bars.map(Number)), "the feed appended a bar between runs").toBeGreaterThan(
      Math.min(...bars.map(Number)),
    );
  });
});
