/**
 * Worker-thread entry of the sweep pool: for each job it claims blocks of combos from the shared
 * counter until none are left, evaluates them with `runPreparedSweep` on the shared cache and
 * writes the results straight into the shared result columns. Nothing is copied back.
 */
import { parentPort } from "node:worker_threads";
import { runPreparedSweep } from "../../lib/engine/sweep";
import { SWEEP_STRATEGIES } from "../../lib/engine/sweep-registry";
import type { SweepJobRequest, SweepJobResponse } from "./protocol";

const port = parentPort;
if (!port) throw new Error("sweep-worker must run in a worker thread");

// The last few combo lists, so a repeated sweep over the same combos does not clone them again.
const combosById = new Map<number, unknown[]>();

port.on("message", (req: SweepJobRequest) => {
  let res: SweepJobResponse;
  try {
    if (req.combos) {
      combosById.set(req.combosId, req.combos);
      if (combosById.size > 4) combosById.delete(combosById.keys().next().value as number);
    }
    const combos = combosById.get(req.combosId);
    if (!combos) throw new Error(`sweep worker: combos ${req.combosId} were never sent`);
    const strategy = SWEEP_STRATEGIES[req.strategy];
    if (!strategy) throw new Error(`unknown sweep strategy "${req.strategy}"`);
    const total = combos.length;
    let done = 0;
    for (;;) {
      const start = Atomics.add(req.counter, 0, req.block);
      if (start >= total) break;
      const end = Math.min(total, start + req.block);
      runPreparedSweep(req.series, strategy, req.cache, combos, start, end, req.config, req.options, req.result);
      done += end - start;
    }
    res = { id: req.id, ok: true, done };
  } catch (e) {
    // Stop the other threads from claiming more work for a job that has failed.
    Atomics.store(req.counter, 0, 0x3fffffff);
    res = { id: req.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  port.postMessage(res);
});
