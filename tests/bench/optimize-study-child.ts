/**
 * A process that runs one seeded TPE study in-process (no queue, no database; strategy code as
 * trusted code on this thread) and prints `study-ms <wall ms>`. The optimize-workers bench runs it
 * alone and as two processes at once: the ratio is what two processes can gain on this machine
 * at all (cores, memory bandwidth, the runtime's own threads), the ceiling of a two-worker study.
 */
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { runOptimize } from "@/lib/modes/optimize";
import { studySchema } from "@/lib/schemas/study";
import { EXAMPLES } from "@/lib/sdk/examples";
import { localRunner } from "@/tests/helpers/local-runner";
import { RSI_VOLUME_RANGES } from "./studies";

const trials = Number(process.env.LAB_BENCH_TRIALS ?? "160");
const universe = generateDemoUniverse({ symbols: 40, years: 10 }).symbols.map((d) => d.series);
const t0 = performance.now();
await runOptimize({
  source: EXAMPLES["rsi-volume"].source,
  runner: localRunner,
  universe,
  study: studySchema.parse({
    method: "tpe",
    trials,
    seed: 4,
    holdout: 0.2,
    ranges: RSI_VOLUME_RANGES,
  }),
  clock: { now: () => performance.now() },
});
process.stdout.write(`study-ms ${performance.now() - t0}\n`);
