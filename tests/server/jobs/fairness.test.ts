/** Fair use: per-workspace running cap across workers, queue quota, interactive before batch, roles. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import { resetEnvCache } from "@/lib/env";
import { startRun } from "@/server/services/runs";
import { createStrategy } from "@/server/services/strategies";
import { callerFor } from "../../helpers/fixtures";
import { createHarness, sleep, steppingHandler, waitForRun, type Harness } from "./harness";
import type { WorkspaceCaller } from "@/server/auth/access";

describe("fair use between workspaces", () => {
  let h: Harness;
  let other: WorkspaceCaller;
  let otherStrategy = "";
  const running = new Map<string, number>();
  const maxRunning = new Map<string, number>();
  const startedAt = new Map<string, number>();
  const wsOf = new Map<string, string>();
  beforeAll(async () => {
    process.env.LAB_WORKSPACE_MAX_QUEUED = "12";
    resetEnvCache();
    h = await createHarness("pglite");
    const o = h.ws.outsider;
    other = { actor: { type: "user", id: o.id, label: o.email }, workspaceId: h.ws.otherWorkspaceId, role: "owner" };
    otherStrategy = (await createStrategy(h.db, other, { code: EXAMPLES["sma-cross"].source })).strategy.id;
    const track = (delta: number) => (runId: string) => {
      const ws = wsOf.get(runId) ?? "?";
      const n = (running.get(ws) ?? 0) + delta;
      running.set(ws, n);
      maxRunning.set(ws, Math.max(maxRunning.get(ws) ?? 0, n));
      if (delta > 0) startedAt.set(runId, Date.now());
    };
    await h.startWorkers({
      concurrency: 3,
      maxRunningPerWorkspace: 2,
      handlers: { backtest: steppingHandler(600, 3, track(1), track(-1)) },
    });
  });
  afterAll(async () => {
    delete process.env.LAB_WORKSPACE_MAX_QUEUED;
    resetEnvCache();
    await h?.close();
  });

  it("caps a flooding workspace, serves another at once, and runs interactive before batch", async () => {
    const spec = (strategyId: string, priority: "interactive" | "batch") => ({
      kind: "backtest" as const,
      strategyId,
      symbols: ["AAA"],
      params: {},
      priority,
    });
    const flood: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { runId } = await startRun(h.db, h.caller(), spec(h.strategyId, "batch"));
      wsOf.set(runId, "A");
      flood.push(runId);
    }
    const late = await startRun(h.db, h.caller(), spec(h.strategyId, "interactive"));
    wsOf.set(late.runId, "A");
    const b = await startRun(h.db, other, spec(otherStrategy, "interactive"));
    wsOf.set(b.runId, "B");
    const bRun = await waitForRun(h.db, other.workspaceId, b.runId, 10_000);
    expect(bRun.status).toBe("succeeded");
    const stillQueued = (
      await Promise.all(flood.map((id) => waitForRun(h.db, h.ws.workspaceId, id, 1, () => true)))
    ).filter((r) => r.status === "queued");
    expect(stillQueued.length, "workspace B finished while A's sweep was still waiting").toBeGreaterThan(3);
    for (const id of [...flood, late.runId]) await waitForRun(h.db, h.ws.workspaceId, id, 30_000);
    expect(maxRunning.get("A"), "never more than the cap from one workspace").toBe(2);
    const lateStart = startedAt.get(late.runId) ?? Infinity;
    const batchAfter = flood.filter((id) => (startedAt.get(id) ?? 0) > lateStart).length;
    expect(batchAfter, "the interactive run overtook most of the queued batch runs").toBeGreaterThanOrEqual(5);
  }, 45_000);

  it("refuses runs beyond the workspace's queue quota with a clear 429", async () => {
    const ids: string[] = [];
    let refused: unknown = null;
    for (let i = 0; i < 20 && !refused; i++) {
      try {
        ids.push(
          (
            await startRun(h.db, h.caller(), {
              kind: "backtest",
              strategyId: h.strategyId,
              symbols: ["AAA"],
              params: {},
              priority: "batch",
            })
          ).runId,
        );
      } catch (err) {
        refused = err;
      }
    }
    expect(refused).toMatchObject({ code: "LIMIT_EXCEEDED" });
    expect(String((refused as Error).message)).toMatch(/limit is 12/);
    for (const id of ids) await waitForRun(h.db, h.ws.workspaceId, id, 30_000);
  }, 45_000);

  it("lets members start runs but not viewers, and hides runs from outsiders", async () => {
    const input = {
      workspaceId: h.ws.workspaceId,
      run: { kind: "backtest" as const, strategyId: h.strategyId, symbols: ["AAA"] },
    };
    await expect(callerFor(h.db, h.ws.users.viewer).runs.create(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const { runId } = await callerFor(h.db, h.ws.users.member).runs.create(input);
    const seen = await callerFor(h.db, h.ws.users.viewer).runs.get({ workspaceId: h.ws.workspaceId, runId });
    expect(seen.id).toBe(runId);
    await expect(
      callerFor(h.db, h.ws.outsider).runs.get({ workspaceId: h.ws.workspaceId, runId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, h.ws.users.viewer).runs.cancel({ workspaceId: h.ws.workspaceId, runId }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await sleep(50);
    await waitForRun(h.db, h.ws.workspaceId, runId, 20_000);
  }, 30_000);
});
