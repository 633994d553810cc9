import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermanentRunError } from "@/server/jobs/run-context";
import { runInputOf } from "@/lib/schemas/runs";
import { EXAMPLES } from "@/lib/sdk/examples";
import { cancelRun, startRun, watchRun } from "@/server/services/runs";
import { createStrategy } from "@/server/services/strategies";
import { DRIVERS } from "../../helpers/test-db";
import { createHarness, sleep, steppingHandler, waitForRun, type Harness } from "./harness";

const flaky = new Map<string, number>();

describe.each(DRIVERS)("run queue on %s", (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(driver);
    await h.startWorkers({
      concurrency: 2,
      maxRunningPerWorkspace: 2,
      handlers: {
        backtest: steppingHandler(300),
        screen: async (ctx) => {
          const mode = (runInputOf(ctx.run, "screen").params as Record<string, string>).mode;
          if (mode === "strategy-error")
            throw new PermanentRunError("strategy failed: line 3, column 5: boom is not defined");
          if (mode === "flaky") {
            const n = (flaky.get(ctx.run.id) ?? 0) + 1;
            flaky.set(ctx.run.id, n);
            if (n === 1) throw new Error("connection reset by peer");
          }
          if (mode === "slow") return steppingHandler(20_000, 200)(ctx);
          return { ok: true };
        },
      },
    });
  });
  afterAll(async () => h?.close());

  /** A strategy declaring the `mode` param the fake screen handler above reads (undeclared params are refused at start). */
  let modes = "";
  const screen = async (mode: string) => {
    if (!modes) {
      const code = EXAMPLES["sma-cross"].source.replace(
        "params: {",
        'params: {\n    mode: { type: "enum", options: ["normal", "strategy-error", "flaky", "slow"], default: "normal" },',
      );
      modes = (await createStrategy(h.db, h.caller(), { code })).strategy.id;
    }
    return spec({ kind: "screen", strategyId: modes, params: { mode } });
  };

  const spec = (over: Record<string, unknown> = {}) => ({
    kind: "backtest" as const,
    strategyId: h.strategyId,
    symbols: ["AAA"],
    params: {},
    priority: "interactive" as const,
    ...over,
  });

  it("returns a run id at once, then runs it to a stored result with live progress", async () => {
    const t0 = Date.now();
    const { runId } = await startRun(h.db, h.caller("member"), spec());
    expect(Date.now() - t0, "startRun must not wait for the job").toBeLessThan(2000);
    const seen: string[] = [];
    for await (const snap of watchRun(h.db, h.ws.workspaceId, runId, { intervalMs: 50, includeResult: true })) {
      seen.push(snap.status);
      if (snap.status === "succeeded") expect(snap.result).toEqual({ ok: true, runId, attempt: 1 });
    }
    expect(seen[0]).toMatch(/queued|running/);
    expect(seen.at(-1)).toBe("succeeded");
    const run = await waitForRun(h.db, h.ws.workspaceId, runId);
    expect(run.attempts).toBe(1);
    expect(run.progress.percent).toBe(100);
    expect(run.input.version, "the strategy version is pinned at start").toBe(1);
  });

  it("fails a strategy error at once and keeps the message", async () => {
    const { runId } = await startRun(h.db, h.caller(), await screen("strategy-error"));
    const run = await waitForRun(h.db, h.ws.workspaceId, runId);
    expect(run.status).toBe("failed");
    expect(run.attempts, "not retried").toBe(1);
    expect(run.error).toContain("line 3, column 5");
  });

  it("retries a transient failure and succeeds on the second attempt", async () => {
    const { runId } = await startRun(h.db, h.caller(), await screen("flaky"));
    const run = await waitForRun(h.db, h.ws.workspaceId, runId, 30_000);
    expect(run.status).toBe("succeeded");
    expect(run.attempts).toBe(2);
    expect(flaky.get(runId)).toBe(2);
  });

  it("cancels a running run promptly", async () => {
    const { runId } = await startRun(h.db, h.caller(), await screen("slow"));
    await waitForRun(h.db, h.ws.workspaceId, runId, 10_000, (r) => r.status === "running" && r.progress.percent > 0);
    const t0 = Date.now();
    await cancelRun(h.db, h.caller("member"), runId);
    const run = await waitForRun(h.db, h.ws.workspaceId, runId, 5_000);
    expect(run.status).toBe("cancelled");
    expect(Date.now() - t0, "stops within a few checkpoints").toBeLessThan(3_000);
  });

  it("cancels a queued run without ever running it", async () => {
    // Fill both per-workspace slots, then queue one more and cancel it while it waits.
    const slow = await screen("slow");
    const blockers = await Promise.all([0, 1].map(() => startRun(h.db, h.caller(), slow)));
    const { runId } = await startRun(h.db, h.caller(), spec());
    await sleep(300);
    const cancelled = await cancelRun(h.db, h.caller(), runId);
    expect(cancelled.status).toBe("cancelled");
    for (const b of blockers) await cancelRun(h.db, h.caller(), b.runId);
    await sleep(1500);
    const run = await waitForRun(h.db, h.ws.workspaceId, runId);
    expect(run.status).toBe("cancelled");
    expect(run.attempts, "never picked up").toBe(0);
  });

  it("does not show one workspace's run to another", async () => {
    const { runId } = await startRun(h.db, h.caller(), spec());
    const other = h.caller("owner", h.ws.otherWorkspaceId);
    await expect(cancelRun(h.db, other, runId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await waitForRun(h.db, h.ws.workspaceId, runId);
  });
});
