import "server-only";
/**
 * Fair use between workspaces — how one workspace's 10,000-run sweep cannot starve the rest:
 *
 * 1. Admission (server/services/runs.ts): at most LAB_WORKSPACE_MAX_QUEUED queued runs per
 *    workspace; one more is refused with LIMIT_EXCEEDED (HTTP 429) instead of growing the queue.
 * 2. Concurrency: every run job carries `group: { id: workspaceId }` and all run kinds share one
 *    queue, and workers fetch with pg-boss `groupConcurrency` = LAB_WORKSPACE_MAX_RUNNING. The
 *    fetch query counts the group's *active* jobs in the database, so the cap holds across all
 *    worker processes and machines: a workspace at its cap is skipped and the next job of
 *    another workspace is taken instead, however many of its jobs are older.
 * 3. Order: interactive runs are sent with priority 10, batch runs with 0; the fetch orders by
 *    priority, then age. A person's backtest overtakes every queued sweep job.
 *
 * So with W worker slots and a cap of C per workspace, a flooding workspace holds at most C
 * slots, and the other W − C serve everyone else in priority order.
 */
import { env } from "@/lib/env";

/** Most runs of one workspace executing at once (all workers together). */
export function maxRunningPerWorkspace(): number {
  return env().LAB_WORKSPACE_MAX_RUNNING;
}
