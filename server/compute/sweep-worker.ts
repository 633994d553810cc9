/**
 * Worker-thread entry of the sweep pool. For each job it first takes part in the prepare when the
 * strategy splits it (claims and runs parts until none are left, then waits until every part is
 * done), then claims blocks of combos from the shared counter until none are left, evaluates them
 * with `runPreparedSweep` on the shared cache and writes the results straight into the shared
 * result columns. Nothing is copied back.
 *
 * Each thread compiles its own code: started with `workerData.warmUp`, it first runs the built-in
 * SMA-cross sweep (parted prepare and kernel) a dozen times on small synthetic bars, so the
 * optimizing compiler has done its work before the first real job instead of during the first few.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { BarSeries } from "../../lib/data/bars";
import { SHARED_ALLOC } from "../../lib/engine/sweep-cross";
import { crossoverGrid, emptySweepResult, runPreparedSweep, smaCrossSweep } from "../../lib/engine/sweep";
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
  Atomics.notify(ctrl, CTRL.SCANNED);
}

/** Runs this thread's share of a parted prepare; returns the cache, or null when the plan was too small. */
function prepareParts(req: SweepJobRequest, name: string): unknown {
  const parted = SWEEP_STRATEGIES[name]?.parted;
  if (!parted) throw new Error(`sweep strategy "${name}" has no parted prepare`);
  const { ctrl, plan } = req;
  const parts = parted.parts(plan);
  let scratch = partScratch.get(name);
  if (!scratch) partScratch.set(name, (scratch = []));
  for (let mine = 0; ; mine++) {
    const p = Atomics.add(ctrl, CTRL.CLAIM, 1);
    if (p >= parts) break;
    const r = parted.part(plan, p, scratch[mine]);
    scratch[mine] = r.scratch;
    for (let seen = Atomics.load(ctrl, CTRL.ROOM); r.room > seen;) {
      const was = Atomics.compareExchange(ctrl, CTRL.ROOM, seen, r.room);
      if (was === seen) break;
      seen = was;
    }
    if (!r.fits) Atomics.store(ctrl, CTRL.OVERFLOW, 1);
    if (Atomics.add(ctrl, CTRL.SCANNED, 1) + 1 === parts) Atomics.notify(ctrl, CTRL.SCANNED);
  }
  waitFor(ctrl, CTRL.SCANNED, (v) => v >= parts);
  return Atomics.load(ctrl, CTRL.OVERFLOW) !== 0 ? null : parted.cache(plan);
}

/** Runs the SMA-cross sweep on 800 synthetic bars (two prepare parts, both here) `rounds` times. */
function warmUp(rounds: number): void {
  const n = 800;
  const f = () => SHARED_ALLOC.f64(n);
  const series: BarSeries = {
    symbol: "WARM",
    timestampsMs: f(),
    open: f(),
    high: f(),
    low: f(),
    close: f(),
    volume: f(),
  };
  let price = 100;
  for (let t = 0; t < n; t++) {
    const open = price;
    price *= 1 + 0.02 * Math.sin(t * 0.37) * Math.cos(t * 0.11) + 0.0004;
    series.timestampsMs[t] = Date.UTC(2020, 0, 1) + t * 86_400_000;
    series.open[t] = open;
    series.close[t] = price;
    series.high[t] = Math.max(open, price) * 1.01;
    series.low[t] = Math.min(open, price) * 0.99;
    series.volume[t] = 1000;
  }
  const combos = crossoverGrid(2, 40, false);
  const parted = smaCrossSweep.parted!;
  let scratch = partScratch.get(smaCrossSweep.name);
  if (!scratch) partScratch.set(smaCrossSweep.name, (scratch = []));
  const result = emptySweepResult(combos.length, SHARED_ALLOC);
  let room: number | undefined;
  for (let r = 0; r < rounds; r++) {
    // Through a structured clone, as a job's plan and bars arrive (same object shapes, shared memory).
    const { plan, bars } = structuredClone({
      plan: parted.plan(series, combos, SHARED_ALLOC, 2, room),
      bars: series,
    }) as { plan: unknown; bars: BarSeries };
    let fits = true;
    for (let p = 0; p < 2; p++) {
      const got = parted.part(plan, p, scratch[p]);
      scratch[p] = got.scratch;
      fits &&= got.fits;
      room = Math.max(room ?? 0, got.room);
    }
    if (!fits) continue;
    const config = { costs: { commissionRate: 0.002 } };
    runPreparedSweep(
      bars,
      smaCrossSweep,
      parted.cache(plan),
      combos,
      0,
      combos.length,
      config,
      { periodsPerYear: 252 },
      result,
    );
  }
}

if ((workerData as { warmUp?: boolean } | null)?.warmUp) {
  try {
    warmUp(12);
  } catch {
    // Only a head start: a failure here leaves the code to be compiled by the first jobs.
  }
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
