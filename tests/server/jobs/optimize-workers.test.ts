/**
 * Optimize studies over real worker processes on a fresh Postgres database (strategy code in the
 * sandbox): the study's trials are spread over both processes with its state in optimize_trial;
 * no trial is evaluated twice; the seeded sequence is the one a single process computes with the
 * same window; a worker killed mid-study loses only its in-flight trials, which
 * another worker takes over, and the study still finishes.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runOptimize } from "@/lib/modes/optimize";
import { studySchema } from "@/lib/schemas/study";
import { EXAMPLES } from "@/lib/sdk/examples";
import { loadRunBars } from "@/server/jobs/bars";
import { localRunner } from "@/tests/helpers/local-runner";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { optimizeTrials } from "@/server/db/schema";
import { startRun } from "@/server/services/runs";
import { DRIVERS } from "../../helpers/test-db";
import { startChild, type Child } from "./child";
import { createHarness, sleep, waitForRun, type Harness } from "./harness";

const hasPostgres = DRIVERS.includes("postgres");

describe.skipIf(!hasPostgres)("optimize studies over worker processes on Postgres", () => {
  let h: Harness;
  let url: string;
  let symbols: string[] = [];
  const children: Child[] = [];
  beforeAll(async () => {
    h = await createHarness("postgres");
    url = h.handle.url ?? "";
    await ensureDemoUniverse(h.db, { symbols: 10, years: 10 });
    symbols = await getUniverseSymbols(h.db, "demo-10");
  });
  afterEach(() => {
    for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill("SIGKILL");
  });
  afterAll(async () => h?.close());

  const rowsOf = (runId: string) => h.db.select().from(optimizeTrials).where(eq(optimizeTrials.runId, runId));
  const pidOf = (worker: string) => Number(worker.split(":")[1]);

  it("two worker processes share one study's trials; each trial is evaluated once", async () => {
    const env = { LAB_WORKER_CONCURRENCY: "2", LAB_OPTIMIZE_HELPERS: "3" };
    const a = startChild(url, "real", env);
    const b = startChild(url, "real", env);
    children.push(a, b);
    await Promise.all([a.waitFor(/^ready/), b.waitFor(/^ready/)]);
    const study = studySchema.parse({
      method: "tpe",
      trials: 60,
      seed: 3,
      ranges: { fast: { min: 3, max: 30 }, slow: { min: 10, max: 80 } },
      constraints: ["fast < slow"],
    });
    const { runId } = await startRun(h.db, h.caller(), {
      kind: "optimize",
      strategyId: h.strategyId,
      symbols,
      params: {},
      priority: "interactive",
      study,
    });
    const run = await waitForRun(h.db, h.ws.workspaceId, runId, 120_000);
    expect(run.status, run.error ?? "").toBe("succeeded");
    const rows = await rowsOf(runId);
    expect(rows.map((r) => r.number).sort((x, y) => x - y)).toEqual([...Array(60).keys()]);
    expect(rows.every((r) => r.state !== "running")).toBe(true);
    expect(
      rows.every((r) => r.attempts === 1),
      "no trial handed out twice",
    ).toBe(true);
    const pids = new Set(rows.map((r) => pidOf(r.worker)));
    expect(pids, "both processes evaluated trials").toEqual(new Set([a.proc.pid, b.proc.pid]));
    const result = run.result as {
      n_trials: number;
      trials: Array<{ number: number; params: unknown; value: number | null }>;
    };
    expect(result.n_trials).toBe(60);
    for (const r of rows)
      expect(result.trials.find((t) => t.number === r.number)?.value ?? null).toBe(r.values?.[0] ?? null);
    // Seeded: the trials spread over two processes are the sequence one process computes with the
    // same window (1 + 3 helpers), trial by trial — params and value.
    const data = await loadRunBars(h.db, h.ws.workspaceId, symbols, {});
    const local = await runOptimize({
      source: EXAMPLES["sma-cross"].source,
      runner: localRunner,
      universe: data.universe,
      params: {},
      study,
      clock: { now: () => Date.now() },
      window: 4,
    });
    expect(result.trials.map((t) => [t.number, t.params, t.value])).toEqual(
      local.trials.map((t) => [t.number, t.params, t.value]),
    );
  }, 180_000);

  it("a worker killed mid-study loses only its in-flight trials; another worker retries them and the study finishes", async () => {
    const env = { LAB_WORKER_CONCURRENCY: "2", LAB_OPTIMIZE_HELPERS: "3", LAB_OPTIMIZE_TRIAL_LEASE_SECONDS: "3" };
    const a = startChild(url, "real", env);
    const b = startChild(url, "real", env);
    children.push(a, b);
    await Promise.all([a.waitFor(/^ready/), b.waitFor(/^ready/)]);
    const study = studySchema.parse({
      method: "random",
      trials: 100000,
      timeout: 12,
      seed: 5,
      ranges: { fast: { min: 3, max: 30 }, slow: { min: 10, max: 80 } },
      constraints: ["fast < slow"],
    });
    const { runId } = await startRun(h.db, h.caller(), {
      kind: "optimize",
      strategyId: h.strategyId,
      symbols,
      params: {},
      priority: "interactive",
      study,
    });
    // Once some trials are done, freeze B (SIGSTOP) at a moment it holds a trial: trials take a few
    // ms, so between a tell and its next ask B may hold none — then let it go on and try again.
    // Frozen, B can change nothing, so what the table shows as running on B (read once its last
    // statements have landed, well before its 3 s leases expire) is exactly what it loses.
    const end = Date.now() + 60_000;
    let lost: number[] = [];
    for (;;) {
      if (Date.now() > end) throw new Error("worker B was never caught with a trial in flight");
      const rows = await rowsOf(runId);
      if (rows.filter((r) => r.state === "complete").length < 5) {
        await sleep(20);
        continue;
      }
      b.proc.kill("SIGSTOP");
      await sleep(150);
      lost = (await rowsOf(runId))
        .filter((r) => r.state === "running" && pidOf(r.worker) === b.proc.pid)
        .map((r) => r.number)
        .sort((x, y) => x - y);
      if (lost.length > 0) break;
      b.proc.kill("SIGCONT");
      await sleep(5 + Math.floor(Math.random() * 30));
    }
    b.proc.kill("SIGKILL");
    await new Promise<void>((resolve) => (b.proc.exitCode !== null ? resolve() : b.proc.once("exit", () => resolve())));
    const run = await waitForRun(h.db, h.ws.workspaceId, runId, 150_000);
    expect(run.status, run.error ?? "").toBe("succeeded");
    const rows = await rowsOf(runId);
    expect(
      rows.every((r) => r.state !== "running"),
      "every trial finished",
    ).toBe(true);
    expect(lost.length, "B died with trials in flight").toBeGreaterThanOrEqual(1);
    const retried = rows.filter((r) => r.attempts > 1);
    expect(
      retried.map((r) => r.number).sort((x, y) => x - y),
      "exactly B's in-flight trials were handed out again",
    ).toEqual(lost);
    for (const r of retried) {
      expect(r.attempts, "retried once").toBe(2);
      expect(pidOf(r.worker), "by the surviving worker").toBe(a.proc.pid);
      expect(r.state).not.toBe("running");
    }
    // every other trial was evaluated once, by the worker that asked for it (leases of live workers never lapse)
    expect(rows.filter((r) => r.attempts !== 1 && !lost.includes(r.number))).toEqual([]);
    const numbers = rows.map((r) => r.number).sort((x, y) => x - y);
    expect(numbers).toEqual([...Array(numbers.length).keys()]);
  }, 240_000);
});
