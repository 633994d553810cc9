/**
 * A worker process started the way `npm run worker` starts (server/boot.ts bootWorker, SIGTERM →
 * the shutdown list), with a slow checkpointed backtest handler so a test can stop it mid-run.
 * Prints `ready`, `started <runId>` and `finished <runId> <outcome>` lines.
 */
import { bootWorker } from "@/server/boot";
import type { RunHandler } from "@/server/jobs/run-context";
import { runShutdown } from "@/server/lifecycle";

const slow: RunHandler = async (ctx) => {
  process.stdout.write(`started ${ctx.run.id}\n`);
  for (let i = 0; i < 20; i++) {
    await ctx.checkpoint();
    await ctx.progress("working", i * 5, true);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ok: true, pid: process.pid, attempt: ctx.run.attempts } as never;
};

await bootWorker({
  alerts: false,
  demoFeed: false,
  pollingIntervalSeconds: 0.5,
  handlers: { backtest: slow },
  onRunOutcome: (runId, outcome) => process.stdout.write(`finished ${runId} ${outcome}\n`),
});
process.stdout.write(`ready ${process.pid}\n`);
process.on("SIGTERM", () => {
  process.stdout.write("stopping\n");
  void runShutdown().then(() => process.exit(0));
});
