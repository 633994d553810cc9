/**
 * Graceful shutdown of a real worker process (Postgres): SIGTERM mid-run lets the run finish
 * within LAB_SHUTDOWN_SECONDS; past the deadline the job is handed back to the queue and another
 * worker completes it. Either way the run completes exactly once.
 */
import { spawn } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { workerHeartbeats } from "@/server/db/schema";
import { startRun } from "@/server/services/runs";
import { DRIVERS } from "../../helpers/test-db";
import type { Child } from "../jobs/child";
import { createHarness, waitForRun, type Harness } from "../jobs/harness";

function startChild(url: string, env: Record<string, string>): Child {
  const proc = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "tests/server/ops/shutdown-child.ts"],
    {
      env: {
        ...process.env,
        DATABASE_URL: url,
        LAB_QUEUE_MONITOR_SECONDS: "1",
        LAB_JOB_HEARTBEAT_SECONDS: "10",
        LAB_IN_PROCESS_WORKER: "false",
        LAB_LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: string[] = [];
  let buf = "";
  proc.stdout?.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    lines.push(...parts);
  });
  proc.stderr?.on("data", (d: Buffer) => process.stderr.write(`[child ${proc.pid}] ${d}`));
  return {
    proc,
    lines,
    async waitFor(pattern, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        for (const l of lines) {
          const m = l.match(pattern);
          if (m) return m;
        }
        if (Date.now() > end) throw new Error(`child never printed ${pattern}; got: ${lines.slice(-5).join(" | ")}`);
        if (proc.exitCode !== null)
          throw new Error(`child exited with ${proc.exitCode}; got: ${lines.slice(-5).join(" | ")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

const exited = (c: Child) =>
  new Promise<number | null>((r) =>
    c.proc.exitCode !== null ? r(c.proc.exitCode) : c.proc.once("exit", (code) => r(code)),
  );

describe.skipIf(!DRIVERS.includes("postgres"))("graceful shutdown of a worker process", () => {
  let h: Harness;
  let url: string;
  const children: Child[] = [];
  beforeAll(async () => {
    h = await createHarness("postgres");
    url = h.handle.url ?? "";
  });
  afterEach(() => {
    for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill("SIGKILL");
  });
  afterAll(async () => h?.close());

  it("SIGTERM mid-run: the running job finishes, the process exits 0, the run completed once", async () => {
    const a = startChild(url, { LAB_SHUTDOWN_SECONDS: "20" });
    children.push(a);
    await a.waitFor(/^ready/);
    expect((await h.db.select().from(workerHeartbeats)).length, "the worker beats").toBe(1);
    const { runId } = await startRun(h.db, h.caller(), {
      kind: "backtest",
      strategyId: h.strategyId,
      symbols: ["AAA"],
      params: {},
      priority: "interactive",
    });
    await a.waitFor(new RegExp(`^started ${runId}`));
    const t0 = Date.now();
    a.proc.kill("SIGTERM");
    expect(await exited(a)).toBe(0);
    expect(Date.now() - t0, "it waited for the run (4 s of work), not the whole deadline").toBeLessThan(15_000);
    expect(a.lines).toContain(`finished ${runId} succeeded`);
    const run = await waitForRun(h.db, h.ws.workspaceId, runId, 5_000);
    expect(run.status).toBe("succeeded");
    expect(run.attempts).toBe(1);
    expect(await h.db.select().from(workerHeartbeats), "the stopped worker took its heartbeat row with it").toEqual([]);
  }, 60_000);

  it("past the deadline the job is handed back and another worker completes it exactly once", async () => {
    const a = startChild(url, { LAB_SHUTDOWN_SECONDS: "1" });
    children.push(a);
    await a.waitFor(/^ready/);
    const { runId } = await startRun(h.db, h.caller(), {
      kind: "backtest",
      strategyId: h.strategyId,
      symbols: ["AAA"],
      params: {},
      priority: "interactive",
    });
    await a.waitFor(new RegExp(`^started ${runId}`));
    a.proc.kill("SIGTERM");
    expect(await exited(a)).toBe(0);
    expect(
      a.lines.some((l) => l.startsWith(`finished ${runId} succeeded`)),
      "A did not finish it",
    ).toBe(false);

    const b = startChild(url, { LAB_SHUTDOWN_SECONDS: "20" });
    children.push(b);
    await b.waitFor(new RegExp(`^finished ${runId} succeeded`), 40_000);
    const run = await waitForRun(h.db, h.ws.workspaceId, runId, 5_000);
    expect(run.status).toBe("succeeded");
    expect(run.attempts, "one attempt each").toBe(2);
    expect((run.result as unknown as { attempt: number }).attempt, "the result is the second attempt's").toBe(2);
    const finished = [...a.lines, ...b.lines].filter((l) => l.startsWith(`finished ${runId} succeeded`));
    expect(finished.length).toBe(1);
    b.proc.kill("SIGTERM");
    expect(await exited(b)).toBe(0);
    expect(await h.db.select().from(workerHeartbeats).where(eq(workerHeartbeats.role, "worker"))).toEqual([]);
  }, 90_000);
});
