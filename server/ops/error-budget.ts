import "server-only";
/**
 * Error budget: the share of failed runs and failed outbound calls over a rolling hour, kept per
 * process in one-minute buckets and exported as `lab_error_budget_used_ratio` (Prometheus sums
 * or maxes it across processes). Above LAB_ERROR_BUDGET (5 % by default) the budget is spent.
 * Per workspace, a breach of the budget by its runs notifies the workspace's admins, and while
 * the budget is exceeded the workspace's scheduled evolution generations wait
 * ({@link errorBudgetExceededFor}; services/evolutions.ts `runDueEvolutions`).
 */
import { and, count, eq, gte, inArray, sql } from "drizzle-orm";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { notifications, runs } from "@/server/db/schema";
import { metrics } from "./metrics";

const BUCKET_MS = 60_000;
const BUCKETS = 60;

/** Failed/total counts over the last `BUCKETS` minutes; the clock is passed in. */
export class RollingFailureWindow {
  private readonly total = new Float64Array(BUCKETS);
  private readonly failed = new Float64Array(BUCKETS);
  private readonly minute = new Float64Array(BUCKETS).fill(-1);

  record(failed: boolean, nowMs: number): void {
    const m = Math.floor(nowMs / BUCKET_MS);
    const i = m % BUCKETS;
    if (this.minute[i] !== m) {
      this.minute[i] = m;
      this.total[i] = 0;
      this.failed[i] = 0;
    }
    this.total[i] += 1;
    if (failed) this.failed[i] += 1;
  }

  /** Failed share over the window ending at `nowMs` (0 with no events). */
  ratio(nowMs: number): number {
    const current = Math.floor(nowMs / BUCKET_MS);
    let total = 0;
    let failed = 0;
    for (let i = 0; i < BUCKETS; i++) {
      if (this.minute[i] > current - BUCKETS && this.minute[i] <= current) {
        total += this.total[i];
        failed += this.failed[i];
      }
    }
    return total === 0 ? 0 : failed / total;
  }
}

const KEY = Symbol.for("strategy-lab.error-budget");
type G = typeof globalThis & { [KEY]?: RollingFailureWindow };
function window(): RollingFailureWindow {
  const g = globalThis as G;
  g[KEY] ??= new RollingFailureWindow();
  return g[KEY];
}

/** Count one finished run or outbound call. */
export function recordOutcome(_source: "run" | "outbound", failed: boolean, nowMs = Date.now()): void {
  const w = window();
  w.record(failed, nowMs);
  const m = metrics();
  m.errorBudgetRatio.set(w.ratio(nowMs));
  m.errorBudgetTarget.set(env().LAB_ERROR_BUDGET);
}

/** True while the failed share of the last hour exceeds LAB_ERROR_BUDGET. */
export function errorBudgetExceeded(nowMs = Date.now()): boolean {
  return window().ratio(nowMs) > env().LAB_ERROR_BUDGET;
}

/** Finished runs in the last hour below which one failure is not a budget breach. */
const MIN_RUNS_FOR_BUDGET = 10;

/** Workspace `workspaceId`'s runs finished in the hour before `now`, and how many of them failed. */
async function workspaceRunShare(
  db: Db,
  workspaceId: string,
  now: Date,
): Promise<{ finished: number; failed: number }> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const [row] = await db
    .select({
      finished: count(),
      failed: sql<number>`count(*) filter (where ${runs.status} = 'failed')`.mapWith(Number),
    })
    .from(runs)
    .where(
      and(
        eq(runs.workspaceId, workspaceId),
        inArray(runs.status, ["succeeded", "failed"]),
        gte(runs.finishedAt, hourAgo),
      ),
    );
  return { finished: row?.finished ?? 0, failed: row?.failed ?? 0 };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/**
 * Why scheduled generation for workspace `workspaceId` must wait, or null when it may go ahead:
 * the workspace's runs of the last hour failed more than LAB_ERROR_BUDGET (with at least
 * MIN_RUNS_FOR_BUDGET finished), or this process's failed share of runs and outbound calls
 * (market data, LLM providers, webhooks; {@link errorBudgetExceeded}) is over it. Either
 * recovers on its own as the hour rolls on.
 */
export async function errorBudgetExceededFor(db: Db, workspaceId: string, now = new Date()): Promise<string | null> {
  const budget = env().LAB_ERROR_BUDGET;
  const { finished, failed } = await workspaceRunShare(db, workspaceId, now);
  if (finished >= MIN_RUNS_FOR_BUDGET && failed / finished > budget)
    return `the error budget is exceeded: ${failed} of ${finished} runs in the last hour failed (${pct(failed / finished)}, budget ${pct(budget)})`;
  const ratio = window().ratio(now.getTime());
  if (ratio > budget)
    return `the error budget is exceeded: ${pct(ratio)} of runs and outbound calls in the last hour failed (budget ${pct(budget)})`;
  return null;
}

/**
 * When workspace `workspaceId`'s failed share of runs finished in the last hour exceeds
 * LAB_ERROR_BUDGET (with at least MIN_RUNS_FOR_BUDGET finished), tell its admins with one
 * notification per hour. Returns whether a notification was written.
 */
export async function notifyIfOverBudget(db: Db, workspaceId: string, now = new Date()): Promise<boolean> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const { finished, failed } = await workspaceRunShare(db, workspaceId, now);
  const budget = env().LAB_ERROR_BUDGET;
  if (finished < MIN_RUNS_FOR_BUDGET || failed / finished <= budget) return false;
  const title = "Error budget exceeded";
  const [recent] = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.workspaceId, workspaceId),
        eq(notifications.title, title),
        gte(notifications.createdAt, hourAgo),
      ),
    )
    .limit(1);
  if (recent) return false;
  const share = ((failed / finished) * 100).toFixed(1);
  await db.insert(notifications).values({
    workspaceId,
    kind: "run",
    title,
    body: `${failed} of ${finished} runs finished in the last hour failed (${share} %, budget ${(budget * 100).toFixed(1)} %). See Operations and the failed runs' errors.`,
    priority: "high",
    audience: "admins",
    createdAt: now,
  });
  return true;
}
