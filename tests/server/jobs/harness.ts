/** A queue on a fresh test database: boss + workers + seeded workspace + one strategy. */
import type { PgBoss } from "pg-boss";
import { EXAMPLES } from "@/lib/sdk/examples";
import type { Db } from "@/server/db";
import { createBoss, bossTargetFor, setBoss } from "@/server/jobs/boss";
import type { RunHandler } from "@/server/jobs/run-context";
import { startWorkers, type WorkerOptions, type Workers } from "@/server/jobs/worker";
import { getRun, type RunView } from "@/server/services/runs";
import { createStrategy } from "@/server/services/strategies";
import { createTestDatabase, type TestDatabase, type TestDriver } from "../../helpers/test-db";
import { seedWorkspace, type SeededWorkspace } from "../../helpers/fixtures";
import type { WorkspaceCaller } from "@/server/auth/access";

export interface Harness {
  handle: TestDatabase;
  db: Db;
  boss: PgBoss;
  ws: SeededWorkspace;
  strategyId: string;
  caller(role?: "owner" | "member" | "viewer", workspaceId?: string): WorkspaceCaller;
  workers: Workers | null;
  startWorkers(opts?: WorkerOptions): Promise<Workers>;
  close(): Promise<void>;
}

export async function createHarness(
  driver: TestDriver,
  opts: { workers?: WorkerOptions | false } = {},
): Promise<Harness> {
  const handle = await createTestDatabase(driver);
  const db = handle.db;
  const boss = await createBoss(bossTargetFor(handle), {
    monitorSeconds: 1,
    heartbeatSeconds: 10,
    retryDelaySeconds: 1,
    schedule: false,
  });
  setBoss(boss);
  const ws = await seedWorkspace(db);
  const owner = ws.users.owner;
  const ownerCaller: WorkspaceCaller = {
    actor: { type: "user", id: owner.id, label: owner.email },
    workspaceId: ws.workspaceId,
    role: "owner",
  };
  const { strategy } = await createStrategy(db, ownerCaller, { code: EXAMPLES["sma-cross"].source });
  const h: Harness = {
    handle,
    db,
    boss,
    ws,
    strategyId: strategy.id,
    caller(role = "owner", workspaceId = ws.workspaceId) {
      const u = ws.users[role];
      return { actor: { type: "user", id: u.id, label: u.email }, workspaceId, role };
    },
    workers: null,
    async startWorkers(o = {}) {
      h.workers = await startWorkers(boss, db, { alerts: false, demoFeed: false, pollingIntervalSeconds: 0.5, ...o });
      return h.workers;
    },
    async close() {
      await h.workers?.stop().catch(() => undefined);
      await boss.stop({ graceful: false, close: true, timeout: 2000 }).catch(() => undefined);
      setBoss(null);
      await handle.close();
    },
  };
  if (opts.workers) await h.startWorkers(opts.workers);
  return h;
}

/** Poll until the run is terminal (or `timeoutMs`). */
export async function waitForRun(
  db: Db,
  workspaceId: string,
  runId: string,
  timeoutMs = 20_000,
  until?: (r: RunView) => boolean,
): Promise<RunView> {
  const end = Date.now() + timeoutMs;
  const done = until ?? ((r: RunView) => ["succeeded", "failed", "cancelled"].includes(r.status));
  for (;;) {
    const run = await getRun(db, workspaceId, runId);
    if (done(run)) return run;
    if (Date.now() > end)
      throw new Error(`run ${runId} still ${run.status} after ${timeoutMs} ms (${run.error ?? ""})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A trivial but real handler: waits `ms` in checkpointed steps, reports progress, returns its run id. */
export function steppingHandler(
  ms: number,
  steps = 5,
  onStart?: (runId: string) => void,
  onEnd?: (runId: string) => void,
): RunHandler {
  return async (ctx) => {
    onStart?.(ctx.run.id);
    try {
      for (let i = 0; i < steps; i++) {
        await ctx.checkpoint();
        await ctx.progress("working", (100 * i) / steps, true);
        await sleep(ms / steps);
      }
      await ctx.checkpoint();
      return { ok: true, runId: ctx.run.id, attempt: ctx.run.attempts };
    } finally {
      onEnd?.(ctx.run.id);
    }
  };
}
