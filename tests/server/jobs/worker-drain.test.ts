/** Two real worker processes on a fresh Postgres database drain 200 real backtests, none run twice. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
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

  it("two workers drain 200 real backtests with none run twice", async () => {
    await ensureDemoUniverse(h.db, { symbols: 10, years: 1 });
    const universe = await getUniverseSymbols(h.db, "demo-10");
    const env = { LAB_WORKSPACE_MAX_RUNNING: "8", LAB_WORKER_CONCURRENCY: "2" };
    const a = startChild(url, "real", env);
    const b = startChild(url, "real", env);
    children.push(a, b);
    await Promise.all([a.waitFor(/^ready/), b.waitFor(/^ready/)]);
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const { runId } = await startRun(h.db, h.caller(), {
        kind: "backtest",
        strategyId: h.strategyId,
        symbols: [universe[i % universe.length]],
        params: {},
        priority: "batch",
      });
      ids.push(runId);
    }
    const end = Date.now() + 50_000;
    for (const id of ids) {
      const run = await waitForRun(h.db, h.ws.workspaceId, id, Math.max(1000, end - Date.now()));
      expect(run.status, run.error ?? "").toBe("succeeded");
      expect(run.attempts).toBe(1);
      expect((run.result as { execution_mode: string }).execution_mode).toBe("backtest");
    }
    const started = [...a.lines, ...b.lines].filter((l) => l.startsWith("started ")).map((l) => l.split(" ")[1]);
    expect(started.length, "each run started exactly once").toBe(200);
    expect(new Set(started).size).toBe(200);
    expect(
      a.lines.some((l) => l.startsWith("started ")) && b.lines.some((l) => l.startsWith("started ")),
      "both workers took jobs",
    ).toBe(true);
  }, 90_000);
});
