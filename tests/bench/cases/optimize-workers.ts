/**
 * Optimize studies on the run queue (Postgres at 127.0.0.1:5432, a fresh database), each finished
 * by one worker process and then by two. TPE, seeded, a fixed trial budget, 40 demo symbols × 10
 * years, 20 % holdout, the default two helper jobs (window 3):
 * - the headline study is user-style code through the runner (the RSI + volume example, three
 *   params): `optimize_one_worker_s`, `optimize_two_workers_s` (wall time from queueing the run to
 *   its success), `optimize_two_worker_speedup` (the first over the second; 2 would be perfect),
 *   `optimize_two_worker_trials`, `optimize_two_worker_same_sequence` (1 when both runs evaluated
 *   the same trials — the seeded sequence does not depend on the worker count — so the two
 *   timings measure the same work);
 * - the same for the built-in SMA-cross example, whose signals are computed in-process (trials of
 *   a few ms, so fixed costs weigh more): `optimize_sma_one_worker_s`, `optimize_sma_two_workers_s`,
 *   `optimize_sma_two_worker_speedup`, `optimize_sma_two_worker_same_sequence`;
 * - `optimize_two_process_ceiling`: the same RSI study run in-process (no queue, no database) by
 *   one process, then by two processes at once (twice the work): 2 × the alone time over the
 *   pair's (the slower one's), i.e. the throughput a second process can add on this machine at all (2 on two idle cores; less where the
 *   cores are shared, the runtime's GC and compiler threads already use part of the second core,
 *   or memory bandwidth is the limit). Compare the speedups with it, not with 2.
 * Each worker process runs with LAB_WORKER_CONCURRENCY=1 and evaluates the strategy as trusted
 * code on its own thread (worker-child "local" mode), so one worker is one core: with the sandbox
 * a single worker already spreads its participants over several child processes. Skipped (no
 * keys) without Postgres. The machine's other load counts: compare with `cores` and `load_avg_1m`.
 */
import { studySchema } from "@/lib/schemas/study";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { startRun } from "@/server/services/runs";
import { createStrategy } from "@/server/services/strategies";
import { EXAMPLES } from "@/lib/sdk/examples";
import { startChild, type Child } from "@/tests/server/jobs/child";
import { createHarness, waitForRun } from "@/tests/server/jobs/harness";
import { spawn } from "node:child_process";
import { QUICK, SKIP_POSTGRES, type BenchCase } from "../case";
import { RSI_VOLUME_RANGES } from "../studies";

/** Wall ms of the in-process study in `n` processes started together (the slowest one). */
async function inProcessStudies(n: number, trials: number): Promise<number> {
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const p = spawn(
        process.execPath,
        ["--conditions=react-server", "--import", "tsx", "tests/bench/optimize-study-child.ts"],
        { env: { ...process.env, LAB_BENCH_TRIALS: String(trials) }, stdio: ["ignore", "pipe", "inherit"] },
      );
      let out = "";
      p.stdout.on("data", (d: Buffer) => (out += d.toString()));
      p.on("error", reject);
      p.on("exit", (code) => {
        const m = /study-ms ([\d.]+)/.exec(out);
        if (code === 0 && m) resolve(Number(m[1]));
        else reject(new Error(`the in-process study exited with ${code}: ${out.slice(-300)}`));
      });
    });
  return Math.max(...(await Promise.all(Array.from({ length: n }, one))));
}

interface Res {
  n_trials: number;
  trials: Array<{ number: number; params: unknown; value?: number | null }>;
}

async function stop(children: Child[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.proc.exitCode !== null) return resolve();
          const kill = setTimeout(() => c.proc.kill("SIGKILL"), 15_000);
          c.proc.once("exit", () => {
            clearTimeout(kill);
            resolve();
          });
          c.proc.kill("SIGTERM");
        }),
    ),
  );
}

const bench: BenchCase = {
  name: "optimize-workers",
  description:
    "seeded TPE studies (user-style RSI code, and the built-in SMA cross) on the Postgres queue with 1 and with 2 worker processes (one core each)",
  async run(): Promise<Record<string, number>> {
    if (SKIP_POSTGRES) return {};
    const h = await createHarness("postgres");
    try {
      await ensureDemoUniverse(h.db, { symbols: 40, years: 10 });
      const symbols = await getUniverseSymbols(h.db, "demo-40");
      const trials = QUICK ? 40 : 480;
      const rsi = (await createStrategy(h.db, h.caller(), { code: EXAMPLES["rsi-volume"].source })).strategy.id;
      const studies = {
        rsi: {
          strategyId: rsi,
          study: studySchema.parse({
            method: "tpe",
            trials,
            seed: 4,
            ranges: RSI_VOLUME_RANGES,
            holdout: 0.2,
          }),
        },
        sma: {
          strategyId: h.strategyId,
          study: studySchema.parse({
            method: "tpe",
            trials,
            seed: 4,
            ranges: { fast: { min: 3, max: 40 }, slow: { min: 10, max: 120 } },
            constraints: ["fast < slow"],
            holdout: 0.2,
          }),
        },
      };
      const once = async (which: keyof typeof studies, workers: number): Promise<{ s: number; result: Res }> => {
        const env = { LAB_WORKER_CONCURRENCY: "1", LAB_OPTIMIZE_HELPERS: "2" };
        const children = Array.from({ length: workers }, () => startChild(h.handle.url ?? "", "local", env));
        try {
          await Promise.all(children.map((c) => c.waitFor(/^ready/, 60_000)));
          const t0 = performance.now();
          const { runId } = await startRun(h.db, h.caller(), {
            kind: "optimize",
            strategyId: studies[which].strategyId,
            symbols,
            params: {},
            priority: "interactive",
            study: studies[which].study,
          });
          const run = await waitForRun(h.db, h.ws.workspaceId, runId, 600_000);
          const s = (performance.now() - t0) / 1000;
          if (run.status !== "succeeded") throw new Error(`the study ${run.status}: ${run.error ?? ""}`);
          process.stderr.write(`optimize-workers: ${which}, ${workers} worker(s) ${s.toFixed(2)} s\n`);
          return { s, result: run.result as unknown as Res };
        } finally {
          await stop(children);
        }
      };
      const seq = (r: Res) => JSON.stringify(r.trials.map((t) => [t.number, t.params, t.value ?? null]));
      const one = await once("rsi", 1);
      const two = await once("rsi", 2);
      const smaOne = await once("sma", 1);
      const smaTwo = await once("sma", 2);
      const alone = await inProcessStudies(1, trials);
      const pair = await inProcessStudies(2, trials);
      return {
        optimize_one_worker_s: one.s,
        optimize_two_workers_s: two.s,
        optimize_two_worker_speedup: one.s / two.s,
        optimize_two_worker_trials: two.result.n_trials,
        optimize_two_worker_same_sequence: seq(one.result) === seq(two.result) ? 1 : 0,
        optimize_sma_one_worker_s: smaOne.s,
        optimize_sma_two_workers_s: smaTwo.s,
        optimize_sma_two_worker_speedup: smaOne.s / smaTwo.s,
        optimize_sma_two_worker_same_sequence: seq(smaOne.result) === seq(smaTwo.result) ? 1 : 0,
        optimize_two_process_ceiling: (2 * alone) / pair,
      };
    } finally {
      await h.close();
    }
  },
};
export default bench;
