import "server-only";
/** What a run handler gets: the run, the database, progress reporting and cancellation checks. */
import { and, eq } from "drizzle-orm";
import type { RunnableKind, RunResults } from "@/lib/runs/kinds";
import type { Db } from "@/server/db";
import { runs, type Run, type RunProgress } from "@/server/db/schema";

/** Thrown at a checkpoint after the run was cancelled; the worker marks the run cancelled. */
export class RunCancelledError extends Error {
  constructor() {
    super("The run was cancelled.");
    this.name = "RunCancelledError";
  }
}

/** A failure that retrying cannot fix (bad input, strategy error): the run fails at once. */
export class PermanentRunError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "PermanentRunError";
  }
}

export interface RunContext {
  run: Run;
  db: Db;
  /** Aborted when the run is cancelled or the worker loses the job. */
  signal: AbortSignal;
  /** Record progress (stage, percent 0–100); writes at most every 250 ms unless `force`. */
  progress(stage: string, percent: number, force?: boolean): Promise<void>;
  /** Throws RunCancelledError when cancellation was requested. Call between symbols/chunks. */
  checkpoint(): Promise<void>;
}

/** The job handler of run kind K: returns the result stored on the run (lib/runs/kinds.ts RunResults[K]). */
export type KindHandler<K extends RunnableKind> = (ctx: RunContext) => Promise<RunResults[K]>;

/** The handler of every runnable kind: a new kind without a handler fails the type-check here. */
export type RunHandlers = { [K in RunnableKind]: KindHandler<K> };

/** Any handler the worker can call for a kind (the defaults above; tests plug in trivial ones). */
export type RunHandler = (ctx: RunContext) => Promise<unknown>;

const WRITE_EVERY_MS = 250;
const CANCEL_POLL_MS = 500;

/** Context for one attempt; `dispose()` stops the cancel poller. */
export function createRunContext(db: Db, run: Run, jobSignal?: AbortSignal): RunContext & { dispose(): void } {
  const abort = new AbortController();
  jobSignal?.addEventListener("abort", () => abort.abort(), { once: true });
  const startedMs = Date.now();
  let lastWrite = 0;
  let cancelled = false;
  const markIfCancelled = (cancelRequestedAt: Date | null | undefined, status?: string) => {
    if (cancelRequestedAt || status === "cancelled") {
      cancelled = true;
      abort.abort();
    }
  };
  const poller = setInterval(async () => {
    try {
      const [row] = await db
        .select({ c: runs.cancelRequestedAt, s: runs.status })
        .from(runs)
        .where(eq(runs.id, run.id))
        .limit(1);
      markIfCancelled(row?.c, row?.s);
    } catch {
      // transient read failure: the next poll or checkpoint tries again
    }
  }, CANCEL_POLL_MS);
  poller.unref?.();
  return {
    run,
    db,
    signal: abort.signal,
    async progress(stage, percent, force = false) {
      const now = Date.now();
      if (!force && now - lastWrite < WRITE_EVERY_MS) return;
      lastWrite = now;
      const pct = Math.max(0, Math.min(100, Math.round(percent * 10) / 10));
      const elapsed = (now - startedMs) / 1000;
      const eta = pct >= 5 && pct < 100 ? Math.round((elapsed * (100 - pct)) / pct) : null;
      const progress: RunProgress = { stage, percent: pct, etaSeconds: eta };
      const [row] = await db
        .update(runs)
        .set({ progress, updatedAt: new Date() })
        .where(and(eq(runs.id, run.id), eq(runs.attempts, run.attempts)))
        .returning({ c: runs.cancelRequestedAt, s: runs.status });
      markIfCancelled(row?.c, row?.s);
    },
    async checkpoint() {
      if (cancelled || abort.signal.aborted) throw new RunCancelledError();
    },
    dispose() {
      clearInterval(poller);
    },
  };
}
