/**
 * Server mode's first minute, with real worker processes on a fresh Postgres database: while the
 * app (here the test process) is still writing the demo universe, runs on it are accepted and
 * picked up by `npm run worker`-style processes. They must wait for the universe, showing the
 * write's progress as their stage, and then succeed — never fail with "does not exist".
 * (The full-stack version with a real web process is playwright/e2e/server-first-minute.spec.ts.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoUniverse } from "@/server/data/demo";
import { startRun } from "@/server/services/runs";
import { getRun } from "@/server/services/runs";
import { DRIVERS } from "../../helpers/test-db";
import { startChild, type Child } from "./child";
import { createHarness, waitForRun, type Harness } from "./harness";

const hasPostgres = DRIVERS.includes("postgres");

describe.skipIf(!hasPostgres)("runs submitted while the demo universe is being written", () => {
  let h: Harness;
  const children: Child[] = [];
  beforeAll(async () => {
    h = await createHarness("postgres");
  });
  afterEach(() => {
    for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill("SIGKILL");
  });
  afterAll(async () => h?.close());

  it("wait for it with the stage shown, then succeed once each", async () => {
    const url = h.handle.url ?? "";
    const a = startChild(url, "real", { LAB_WORKER_CONCURRENCY: "2" });
    const b = startChild(url, "real", { LAB_WORKER_CONCURRENCY: "2" });
    children.push(a, b);
    await Promise.all([a.waitFor(/^ready/), b.waitFor(/^ready/)]);

    const writing = ensureDemoUniverse(h.db, {});
    const universes = ["demo-tech", "demo-energy", "demo-utilities", "demo-500"];
    const runIds: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { runId } = await startRun(h.db, h.caller(), {
        kind: "backtest",
        strategyId: h.strategyId,
        universe: universes[i % universes.length],
        params: {},
        priority: "interactive",
      });
      runIds.push(runId);
    }
    // Watch the stages while the universe is written.
    const stages = new Set<string>();
    let written = false;
    void writing.then(() => (written = true));
    while (!written) {
      for (const id of runIds) stages.add((await getRun(h.db, h.ws.workspaceId, id)).progress.stage);
      await new Promise((r) => setTimeout(r, 200));
    }
    await writing;
    const finished = await Promise.all(runIds.map((id) => waitForRun(h.db, h.ws.workspaceId, id, 240_000)));
    expect(
      finished.map((r) => [r.status, r.error]),
      "every accepted run succeeds",
    ).toEqual(runIds.map(() => ["succeeded", null]));
    const waiting = [...stages].filter((s) => /^waiting for the demo universe: \d+ of 500 symbols written$/.test(s));
    expect(waiting.length, `the wait is shown as the run's stage (saw: ${[...stages].join(" | ")})`).toBeGreaterThan(0);
    const outcomes = [...a.lines, ...b.lines].filter((l) => l.startsWith("finished "));
    expect(outcomes.sort(), "each run finished exactly once").toEqual(
      runIds.map((id) => `finished ${id} succeeded`).sort(),
    );
  }, 300_000);
});
