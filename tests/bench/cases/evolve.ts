/**
 * Evolution throughput: `evolve_evaluations_per_s`, genome evaluations per second of a
 * population of 20 (the default seeds, default rates) over 50 demo symbols × 10 years, each
 * evaluation a rule plan's signals on every symbol and a portfolio backtest on the generation's
 * window (half the bars), graded. Two generations (one with QUICK); duplicates are not counted.
 */
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { runEvolve } from "@/lib/modes/evolve";
import { evolveSchema } from "@/lib/schemas/evolve";
import { QUICK, type BenchCase } from "../case";

let universe: ReturnType<typeof generateDemoUniverse>["symbols"] | null = null;

const bench: BenchCase = {
  name: "evolve",
  description: "evolution: evaluations per second, population 20, 50 symbols × 10 years",
  async run() {
    universe ??= generateDemoUniverse({ symbols: 50, years: 10, seed: 42 }).symbols;
    const series = universe.map((d) => d.series);
    const spec = evolveSchema.parse({ population: 20, generations: QUICK ? 1 : 2, seed: 1 });
    const t0 = performance.now();
    const r = await runEvolve(series, spec);
    const s = (performance.now() - t0) / 1000;
    return { evolve_evaluations_per_s: r.n_evaluated / s, evolve_generation_s: s / spec.generations };
  },
};
export default bench;
