/**
 * A worker process for the fault tests: `node --conditions=react-server --import tsx worker-child.ts`.
 * DATABASE_URL points at the test database. LAB_TEST_WORKER_MODE: "slow" (a checkpointed 4 s
 * handler), "real" (the real backtest handler) or "local" (real handlers, but optimize studies run
 * the strategy as trusted code in this process, so one worker process is one core). Prints `started <runId>` and `finished <runId>
 * <outcome>` lines for the parent to count.
 */
import { getDatabase } from "@/server/db";
import { defaultRunHandlers } from "@/server/jobs/handlers";
import { optimizeHandler } from "@/server/jobs/handlers/optimize";
import { localRunner } from "@/tests/helpers/local-runner";
import { runWorkerProcess } from "@/server/jobs/process";
import type { RunHandler } from "@/server/jobs/run-context";

const mode = process.env.LAB_TEST_WORKER_MODE ?? "slow";
const slow: RunHandler = async (ctx) => {
  process.stdout.write(`started ${ctx.run.id}\n`);
  for (let i = 0; i < 20; i++) {
    await ctx.checkpoint();
    await ctx.progress("working", i * 5, true);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ok: true, pid: process.pid, attempt: ctx.run.attempts };
};
const real = defaultRunHandlers().backtest;
const handler: RunHandler =
  mode === "real"
    ? async (ctx) => {
        process.stdout.write(`started ${ctx.run.id}\n`);
        return real(ctx);
      }
    : slow;

const handle = await getDatabase();
const worker = await runWorkerProcess(handle, {
  alerts: false,
  demoFeed: false,
  pollingIntervalSeconds: 0.5,
  handlers: mode === "local" ? { optimize: optimizeHandler(localRunner) } : { backtest: handler },
  ...(mode === "local" ? { optimizeRunner: localRunner } : {}),
  onRunOutcome: (runId, outcome) => process.stdout.write(`finished ${runId} ${outcome}\n`),
});
process.stdout.write(`ready ${process.pid}\n`);
process.on("SIGTERM", () => void worker.stop(10_000).then(() => process.exit(0)));
