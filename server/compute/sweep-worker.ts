/**
 * Worker-thread entry of the sweep pool. For each job it first takes part in the prepare when the
 * strategy splits it (claims parts, joins when it scanned the last one, finishes its own parts,
 * waits until every part is done), then claims blocks of combos from the shared counter until none
 * are left, evaluates them with `runPreparedSweep` on the shared cache and writes the results
 * straight into the shared result columns. Nothing is copied back.
 */
import { parentPort } from "node:worker_threads";
import { runPreparedSweep } from "../../lib/engine/sweep";
import { SWEEP_STRATEGIES } from "../../lib/engine/sweep-registry";
import { CTRL, type SweepJobRequest, type SweepJobResponse } from "./protocol";

const port = parentPort;
if (!port) throw new Error("sweep-worker must run in a worker thread");

// The last few combo lists, so a repeated sweep over the same combos does not clone them again.
const combosById = new Map<number, unknown[]>();
// Per strategy, what this thread's earlier parts returned (their memory is reused).
const partScratch = new Map<string, unknown[]>();
const now = () => performance.timeOrigin + performance.now();
const cpuMs = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};

class JobFailed extends Error {}

/** Blocks until `ctrl[slot]` passes `ok`; throws once another thread has failed. */
function waitFor(ctrl: Int32Array, slot: number, ok: (v: number) => boolean): number {
  for (;;) {
    const v = Atomics.load(ctrl, slot);
    if (ok(v)) return v;
    if (Atomics.load(ctrl, CTRL.FAILED) !== 0) throw new JobFailed("another sweep thread failed");
    Atomics.wait(ctrl, slot, v, 200);
  }
}

function fail(ctrl: Int32Array): void {
  // Stop the other threads from claiming more work and wake any that wait.
  Atomics.store(ctrl, CTRL.NEXT, 0x3fffffff);
  Atomics.store(ctrl, CTRL.CLAIM, 0x3fffffff);
  Atomics.store(ctrl, CTRL.FAILED, 1);
  Atomics.notify(ctrl, CTRL.JOINED);
  Atomics.notify(ctrl, CTRL.FINISHED);
}

/** Runs this thread's share of a parted prepare; returns the cache, or null when the plan was too small. */
function prepareParts(req: SweepJobRequest, name: string): unknown {
  const parted = SWEEP_STRATEGIES[name]?.parted;
  if (!parted) throw new Error(`sweep strategy "${name}" has no parted prepare`);
  const { ctrl, plan } = req;
  const parts = parted.parts(plan);
  let reuse = partScratch.get(name);
  if (!reuse) partScratch.set(name, (reuse = []));
  const mine: { p: number; local: unknown }[] = [];
  for (;;) {
    const p = Atomics.add(ctrl, CTRL.CLAIM, 1);
    if (p >= parts) break;
    const local = parted.part(plan, p, reuse[mine.length]);
    reuse[mine.length] = local;
    mine.push({ p, local });
    if (Atomics.add(ctrl, CTRL.SCANNED, 1) + 1 === parts) {
      const { room, fits } = parted.join(plan);
      Atomics.store(ctrl, CTRL.ROOM, room);
      Atomics.store(ctrl, CTRL.JOINED, fits ? 1 : 2);
      Atomics.notify(ctrl, CTRL.JOINED);
    }
  }
  const joined = waitFor(ctrl, CTRL.JOINED, (v) => v !== 0);
  if (joined === 2) return null;
  if (mine.length > 0) {
    for (const { p, local } of mine) parted.finish(plan, p, local);
    if (Atomics.add(ctrl, CTRL.FINISHED, mine.length) + mine.length === parts) Atomics.notify(ctrl, CTRL.FINISHED);
  }
  waitFor(ctrl, CTRL.FINISHED, (v) => v >= parts);
  return parted.cache(plan);
}

port.on("message", (req: SweepJobRequest) => {
  const startAt = now(),
    cpu0 = cpuMs();
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
    const cache = req.plan ? prepareParts(req, req.strategy) : req.cache;
    const preparedAt = now(),
      cpu1 = cpuMs();
    const total = combos.length;
    let done = 0;
    if (cache !== null) {
      for (;;) {
        const start = Atomics.add(req.ctrl, CTRL.NEXT, req.block);
        if (start >= total) break;
        const end = Math.min(total, start + req.block);
        runPreparedSweep(req.series, strategy, cache, combos, start, end, req.config, req.options, req.result);
        done += end - start;
      }
    }
    const endAt = now();
    res = {
      id: req.id,
      ok: true,
      done,
      startAt,
      preparedAt,
      endAt,
      prepareCpuMs: cpu1 - cpu0,
      sweepCpuMs: cpuMs() - cpu1,
    };
  } catch (e) {
    fail(req.ctrl);
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    res = { id: req.id, ok: false, error, secondary: e instanceof JobFailed };
  }
  port.postMessage(res);
});
