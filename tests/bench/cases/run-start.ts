/**
 * How soon a queued run starts: the time from `startRun` returning to its handler starting, with
 * an idle worker subscribed (the app's queue: pg-boss with NOTIFY on the runs queue, polling kept
 * as the fallback). Medians of 10 runs, one at a time:
 * - `run_start_ms_postgres`: server mode (Postgres at 127.0.0.1:5432, a fresh database; skipped
 *   without it);
 * - `run_start_ms_pglite`: the embedded default.
 * Without NOTIFY a run waited for the next poll (1 s): ~500 ms on average.
 */
import { startRun } from "@/server/services/runs";
import { createHarness, steppingHandler, waitForRun } from "@/tests/server/jobs/harness";
import { QUICK, SKIP_POSTGRES, type BenchCase } from "../case";
import { median } from "../random-walk";

async function startLatency(driver: "postgres" | "pglite"): Promise<number> {
  const started = new Map<string, number>();
  const h = await createHarness(driver);
  try {
    await h.startWorkers({
      concurrency: 1,
      pollingIntervalSeconds: 1,
      handlers: { backtest: steppingHandler(10, 1, (id) => started.set(id, performance.now())) },
    });
    const waits: number[] = [];
    for (let i = 0; i < (QUICK ? 4 : 10); i++) {
      const { runId } = await startRun(h.db, h.caller(), {
        kind: "backtest",
        strategyId: h.strategyId,
        symbols: ["AAA"],
        params: {},
        priority: "interactive",
      });
      const queued = performance.now();
      await waitForRun(h.db, h.ws.workspaceId, runId, 30_000);
      waits.push(started.get(runId)! - queued);
      // let the worker go idle (its next poll is a second away)
      await new Promise((r) => setTimeout(r, 300));
    }
    return median(waits);
  } finally {
    await h.close();
  }
}

const bench: BenchCase = {
  name: "run-start",
  description: "queued run → its handler starting, idle worker, Postgres and the embedded default",
  async run() {
    const out: Record<string, number> = { run_start_ms_pglite: await startLatency("pglite") };
    if (!SKIP_POSTGRES) out.run_start_ms_postgres = await startLatency("postgres");
    return out;
  },
};
export default bench;
