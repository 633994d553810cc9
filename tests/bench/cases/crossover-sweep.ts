/**
 * The full crossover sweep fast < slow in 2..100 (4,851 combos) on one 2,520-bar symbol, long-only,
 * 0.2 % commission: one core (in-process `runSweep`) and all cores (warm worker-thread pool).
 *
 * Headline keys: `sweep_combos_per_s` (pool, wall) and `sweep_combos_per_s_1core`. Companion keys
 * say where the time goes: `sweep_prepare_ms` (the set-up — crossing events of every pair and the
 * range tables — on one thread, as `runSweep` does it), `sweep_kernel_ms` (the kernel over every
 * combo on an already prepared cache, one thread), and per pool job `sweep_pool_caller_ms` (calling
 * thread before the threads get the job), `sweep_pool_wake_ms` (until the last thread has taken the
 * job), `sweep_pool_prepare_ms` (until every thread has the cache: wake-up + the set-up split over
 * the threads), `sweep_pool_sweep_ms` (the kernel over the
 * threads) and `sweep_pool_cpu_ms` (the threads' CPU time, summed). All medians of 5.
 */
import { availableParallelism } from "node:os";
import { crossoverGrid, emptySweepResult, runPreparedSweep, runSweep, smaCrossSweep } from "@/lib/engine";
import { createSweepPool } from "@/server/compute/sweep-pool";
import type { BenchCase } from "../case";
import { median, randomWalk } from "../random-walk";

const series = randomWalk("SWEEP", 2520, 7);
const combos = crossoverGrid(2, 100, false);
const config = { costs: { commissionRate: 0.002 } };

/** Median wall milliseconds of `reps` calls of `f` (after one warm-up call). */
function wallMs(f: () => void, reps = 5): number {
  f();
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const bench: BenchCase = {
  name: "crossover-sweep",
  description: "4,851 SMA crossover combos (2..100) on 2,520 bars: combos/s on 1 core and on all cores",
  async run() {
    runSweep(series, smaCrossSweep, combos, config); // warm-up
    const one: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      runSweep(series, smaCrossSweep, combos, config);
      one.push(combos.length / ((performance.now() - t0) / 1000));
    }
    const prepareMs = wallMs(() => smaCrossSweep.prepare(series, combos));
    const cache = smaCrossSweep.prepare(series, combos);
    const out = emptySweepResult(combos.length);
    const kernelMs = wallMs(() =>
      runPreparedSweep(series, smaCrossSweep, cache, combos, 0, combos.length, config, {}, out),
    );
    const t0 = performance.now();
    const pool = createSweepPool({ threads: availableParallelism() });
    const all: number[] = [];
    const caller: number[] = [],
      wake: number[] = [],
      prep: number[] = [],
      sweep: number[] = [],
      cpu: number[] = [];
    try {
      await pool.run({ strategy: "sma-cross", series, combos, config }); // warm-up (thread start + JIT)
      const startMs = performance.now() - t0;
      for (let r = 0; r < 5; r++) {
        const t1 = performance.now();
        const { timings } = await pool.run({ strategy: "sma-cross", series, combos, config });
        all.push(combos.length / ((performance.now() - t1) / 1000));
        caller.push(timings.callerMs);
        wake.push(timings.wakeMs);
        prep.push(timings.prepareMs);
        sweep.push(timings.sweepMs);
        cpu.push(timings.prepareCpuMs + timings.sweepCpuMs);
      }
      return {
        sweep_combos_per_s: median(all),
        sweep_combos_per_s_1core: median(one),
        sweep_pool_start_ms: startMs,
        sweep_prepare_ms: prepareMs,
        sweep_kernel_ms: kernelMs,
        sweep_pool_caller_ms: median(caller),
        sweep_pool_wake_ms: median(wake),
        sweep_pool_prepare_ms: median(prep),
        sweep_pool_sweep_ms: median(sweep),
        sweep_pool_cpu_ms: median(cpu),
      };
    } finally {
      await pool.close();
    }
  },
};
export default bench;
