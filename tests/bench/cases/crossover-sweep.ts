/**
 * The full crossover sweep fast < slow in 2..100 (4,851 combos) on one 2,520-bar symbol, long-only,
 * 0.2 % commission: one core (in-process `runSweep`) and all cores (warm worker-thread pool).
 */
import { availableParallelism } from "node:os";
import { crossoverGrid, runSweep, smaCrossSweep } from "@/lib/engine";
import { createSweepPool } from "@/server/compute/sweep-pool";
import type { BenchCase } from "../case";
import { median, randomWalk } from "../random-walk";

const series = randomWalk("SWEEP", 2520, 7);
const combos = crossoverGrid(2, 100, false);
const config = { costs: { commissionRate: 0.002 } };

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
    const t0 = performance.now();
    const pool = createSweepPool({ threads: availableParallelism() });
    const all: number[] = [];
    try {
      await pool.run({ strategy: "sma-cross", series, combos, config }); // warm-up (thread start + JIT)
      const startMs = performance.now() - t0;
      for (let r = 0; r < 5; r++) {
        const t1 = performance.now();
        await pool.run({ strategy: "sma-cross", series, combos, config });
        all.push(combos.length / ((performance.now() - t1) / 1000));
      }
      return { sweep_combos_per_s: median(all), sweep_combos_per_s_1core: median(one), sweep_pool_start_ms: startMs };
    } finally {
      await pool.close();
    }
  },
};
export default bench;
