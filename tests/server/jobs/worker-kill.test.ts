/**
 * kill -9 of the worker holding a job, with real worker processes on a fresh Postgres database:
 * another worker retries the job once the heartbeat goes stale, and the run completes once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RUN_QUEUE } from "@/server/jobs/queues";
import { startRun } from "@/server/services/runs";
import { DRIVERS } from "../../helpers/test-db";
import { startChild, type Child } from "./child";
import { createHarness, waitForRun, type Harness } from "./harness";

const hasPostgres = DRIVERS.includes("postgres");

describe.skipIf(!hasPostgres)("worker processes on Postgres", () => {
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

  it("retries the job of a kill -9'd worker on another worker and completes it once", async () => {
    const a = startChild(url, "slow");
    const b = startChild(url, "slow");
    children.push(a, b);
    await Promise.all([a.waitFor(/^ready/), b.waitFor(/^ready/)]);
    const { runId } = await startRun(h.db, h.caller(), {
      kind: "backtest",
      strategyId: h.strategyId,
      symbols: ["AAA"],
      params: {},
      priority: "interactive",
    });
    const holder = await Promise.race([a, b].map(async (c) => (await c.waitFor(new RegExp(`^started ${runId}`)), c)));
    const survivor = holder === a ? b : a;
    await waitForRun(h.db, h.ws.workspaceId, runId, 10_000, (r) => r.progress.percent >= 10);
    holder.proc.kill("SIGKILL");
    const run = await waitForRun(h.db, h.ws.workspaceId, runId, 45_000);
    expect(run.status).toBe("succeeded");
    expect(run.attempts, "one attempt died, the second completed").toBe(2);
    expect(run.result).toMatchObject({ ok: true, pid: survivor.proc.pid, attempt: 2 });
    // The worker prints "finished" after it has written the run: the line may still be in the pipe.
    await survivor.waitFor(new RegExp(`^finished ${runId}`));
    const finished = survivor.lines.filter((l) => l.startsWith(`finished ${runId}`));
    expect(finished).toEqual([`finished ${runId} succeeded`]);
    const jobs = await h.boss.findJobs(RUN_QUEUE, { id: runId });
    expect(jobs.map((j) => j.state)).toEqual(["completed"]);
  }, 60_000);
});
