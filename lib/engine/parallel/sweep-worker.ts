/**
 * Worker-thread entry of the sweep pool: for each job it claims blocks of combos from the shared
 * counter until none are left, evaluates them with `runPreparedSweep` on the shared cache and
 * writes the results straight into the shared result columns. Nothing is copied back.
 */
import { parentPort } from "node:worker_threads";
import { runPreparedSweep } from "../sweep";
import { SWEEP_STRATEGIES } from "../sweep-registry";
import type { SweepJobRequest, SweepJobResponse } from "./protocol";

const port = parentPort;
if (!port) throw new Error("sweep-worker must run in a worker thread");

port.on("message", (req: SweepJobRequest) => {
  let res: SweepJobResponse;
  try {
    const strategy = SWEEP_STRATEGIES[req.strategy];
    if (!strategy) throw new Error(`unknown sweep strategy "${req.strategy}"`);
    const total = req.combos.length;
    let done = 0;
    for (;;) {
      const start = Atomics.add(req.counter, 0, req.block);
      if (start >= total) break;
      const end = Math.min(total, start + req.block);
      runPreparedSweep(req.series, strategy, req.cache, req.combos, start, end, req.config, req.options, req.result);
      done += end - start;
    }
    res = { id: req.id, ok: true, done };
  } catch (e) {
    // Stop the other threads from claiming more work for a job that has failed.
    Atomics.store(req.counter, 0, req.combos.length);
    res = { id: req.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  port.postMessage(res);
});
