/** Per-workspace hourly run budget (LAB_RUNS_PER_HOUR), stored in the database; schedules are exempt. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { startRun } from "@/server/services/runs";
import { createHarness, type Harness } from "./harness";

describe("hourly run budget per workspace", () => {
  let h: Harness;
  beforeAll(async () => {
    process.env.LAB_RUNS_PER_HOUR = "3";
    resetEnvCache();
    h = await createHarness("pglite");
  });
  afterAll(async () => {
    delete process.env.LAB_RUNS_PER_HOUR;
    resetEnvCache();
    await h?.close();
  });

  it("refuses the run over the budget with a wait time, and lets scheduled runs through", async () => {
    const spec = {
      kind: "backtest" as const,
      strategyId: h.strategyId,
      symbols: ["AAA"],
      params: {},
      priority: "interactive" as const,
    };
    for (let i = 0; i < 3; i++) await startRun(h.db, h.caller(), spec);
    await expect(startRun(h.db, h.caller(), spec)).rejects.toMatchObject({
      code: "LIMIT_EXCEEDED",
      message: expect.stringMatching(/too many runs this hour/),
      retryAfterSeconds: expect.any(Number),
    });
    await expect(startRun(h.db, h.caller(), spec, { origin: "schedule" })).resolves.toMatchObject({
      runId: expect.any(String),
    });
  });
});
