/**
 * Worker-thread entry of the sweep pool: runs `runSweep` on the chunk of combos it is sent and
 * posts the columnar result back (buffers transferred, not copied).
 */
import { parentPort } from "node:worker_threads";
import { runSweep } from "../sweep";
import { SWEEP_STRATEGIES } from "../sweep-registry";
import type { SweepChunkRequest, SweepChunkResponse } from "./protocol";

const port = parentPort;
if (!port) throw new Error("sweep-worker must run in a worker thread");

port.on("message", (req: SweepChunkRequest) => {
  try {
    const strategy = SWEEP_STRATEGIES[req.strategy];
    if (!strategy) throw new Error(`unknown sweep strategy "${req.strategy}"`);
    const r = runSweep(req.series, strategy, req.combos, req.config, req.options);
    const res: SweepChunkResponse = { id: req.id, ok: true, result: r };
    const buffers = [r.finalEquity, r.totalReturnPct, r.maxDrawdownPct, r.numTrades, r.sharpe].map((a) => a.buffer as ArrayBuffer);
    port.postMessage(res, buffers);
  } catch (e) {
    const res: SweepChunkResponse = { id: req.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    port.postMessage(res);
  }
});
