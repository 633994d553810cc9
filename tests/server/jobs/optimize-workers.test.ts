/**
 * Optimize studies over real worker processes on a fresh Postgres database (strategy code in the
 * sandbox): the study's trials are spread over both processes with its state in optimize_trial;
 * no trial is evaluated twice; a worker killed mid-study loses only its in-flight trials, which
 * another worker takes over, and the study still finishes.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { studySchema } from "@/lib/schemas/study";
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
    const result = run.result as { n_trials: number; trials: Array<{ number: number; value: number | null }> };
    expect(result.n_trials).toBe(60);
    for (const r of rows)
      expect(result.trials.find((t) => t.number === r.number)?.value ?? null).toBe(r.values?.[0] ?? null);
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
    // wait until B is evaluating a trial and some trials are done, then kill B
    let inFlightOnB: number[] = [];
    const end = Date.now() + 60_000;
    for (;;) {
      const rows = await rowsOf(runId);
      inFlightOnB = rows.filter((r) => r.state === "running" && pidOf(r.worker) === b.proc.pid).map((r) => r.number);
      if (inFlightOnB.length > 0 && rows.filter((r) => r.state === "complete").length >= 5) break;
      if (Date.now() > end) throw new Error("worker B never took a trial");
      await sleep(20);
    }
    b.proc.kill("SIGKILL");
    const run = await waitForRun(h.db, h.ws.workspaceId, runId, 150_000);
    expect(run.status, run.error ?? "").toBe("succeeded");
    const rows = await rowsOf(runId);
    expect(
      rows.every((r) => r.state !== "running"),
      "every trial finished",
    ).toBe(true);
    const retried = rows.filter((r) => r.attempts > 1);
    // only trials that were in flight on B when it died were handed out again, each once, to A
    for (const r of retried) {
      expect(r.attempts).toBe(2);
      expect(pidOf(r.worker)).toBe(a.proc.pid);
    }
    const retriedNumbers = new Set(retried.map((r) => r.number));
    for (const n of inFlightOnB)
      if (rows.find((r) => r.number === n)!.attempts === 1)
        expect(pidOf(rows.find((r) => r.number === n)!.worker)).toBe(b.proc.pid);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(retried.length).toBeLessThanOrEqual(3); // B's run slots: at most 2 helpers + the coordinator
    expect([...retriedNumbers].every((n) => rows.find((r) => r.number === n)!.state !== "running")).toBe(true);
    const numbers = rows.map((r) => r.number).sort((x, y) => x - y);
    expect(numbers).toEqual([...Array(numbers.length).keys()]);
  }, 240_000);
});
