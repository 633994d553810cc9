import "server-only";
/**
 * Live view of one run for the browser: an async generator polling the run row (~400 ms) that
 * yields a snapshot whenever status, progress or attempts change and ends at a terminal state.
 * Used by the tRPC subscription and by the SSE route (session or API key; same stream builder).
 * An optimize run's snapshots also carry `trials`: every trial that finished since the previous
 * snapshot (number, params, state, value), so a watcher sees each finished trial once.
 */
import { and, eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db";
import { finishedTrialsReader, type TrialEvent } from "./optimize-study";
import { runs, TERMINAL_RUN_STATUSES, type RunProgress, type RunResult, type RunStatus } from "@/server/db/schema";

/** What a watcher receives; `result` only on the final snapshot of a succeeded run. */
export interface RunSnapshot {
  id: string;
  status: RunStatus;
  progress: RunProgress;
  attempts: number;
  error: string | null;
  result?: RunResult | null;
  finishedAt: string | null;
  /** Optimize runs: the trials finished since the previous snapshot. */
  trials?: TrialEvent[];
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

/** Snapshots of a run until it finishes (or `signal` aborts). NOT_FOUND for another workspace's run. */
export async function* watchRun(
  db: DbOrTx,
  workspaceId: string,
  runId: string,
  opts: { intervalMs?: number; signal?: AbortSignal; includeResult?: boolean } = {},
): AsyncGenerator<RunSnapshot> {
  let last = "";
  let first = true;
  let readTrials: (() => Promise<TrialEvent[]>) | null = null;
  while (!opts.signal?.aborted) {
    const [row] = await db
      .select({
        id: runs.id,
        kind: runs.kind,
        status: runs.status,
        progress: runs.progress,
        attempts: runs.attempts,
        error: runs.error,
        finishedAt: runs.finishedAt,
      })
      .from(runs)
      .where(and(eq(runs.id, runId), eq(runs.workspaceId, workspaceId)))
      .limit(1);
    if (!row) {
      if (first) throw new AppError("NOT_FOUND", "Run not found.");
      return;
    }
    first = false;
    const { kind, ...fields } = row;
    if (kind === "optimize") readTrials ??= finishedTrialsReader(db, runId);
    const trials = readTrials ? await readTrials() : [];
    const terminal = TERMINAL_RUN_STATUSES.includes(row.status);
    const key = JSON.stringify([row.status, row.progress, row.attempts, row.error]);
    if (key !== last || terminal || trials.length > 0) {
      last = key;
      const snap: RunSnapshot = { ...fields, finishedAt: row.finishedAt?.toISOString() ?? null };
      if (trials.length > 0) snap.trials = trials;
      if (terminal && opts.includeResult && row.status === "succeeded") {
        const [full] = await db.select({ result: runs.result }).from(runs).where(eq(runs.id, runId)).limit(1);
        snap.result = full?.result ?? null;
      }
      yield snap;
    }
    if (terminal) return;
    await sleep(opts.intervalMs ?? 400, opts.signal);
  }
}

/**
 * A text/event-stream body for one run: `event: progress` per snapshot, then `event: done`
 * with the final snapshot (result included), `: keep-alive` comments every 15 s. The caller has
 * already authenticated and checked `runs.read` for `workspaceId`.
 */
export function runEventStream(
  db: DbOrTx,
  workspaceId: string,
  runId: string,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const abort = new AbortController();
  signal?.addEventListener("abort", () => abort.abort(), { once: true });
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) =>
        controller.enqueue(enc.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      keepAlive = setInterval(() => controller.enqueue(enc.encode(": keep-alive\n\n")), 15_000);
      try {
        for await (const snap of watchRun(db, workspaceId, runId, { signal: abort.signal, includeResult: true })) {
          send(TERMINAL_RUN_STATUSES.includes(snap.status) ? "done" : "progress", snap);
        }
      } catch (err) {
        send("error", { message: err instanceof AppError ? err.message : "The run could not be watched." });
      } finally {
        clearInterval(keepAlive);
        if (!abort.signal.aborted) controller.close();
      }
    },
    cancel() {
      clearInterval(keepAlive);
      abort.abort();
    },
  });
}
