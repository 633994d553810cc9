/**
 * Run status as an explicit state table, beside the strategy lifecycle (strategy.ts):
 *
 *   queued ──claim──▶ running ──succeed──▶ succeeded
 *     │                 │ ├────fail─────▶ failed
 *     │                 │ └───cancel────▶ cancelled
 *     │                 ├──requeue──▶ queued   (a transient error: retried)
 *     │                 └──claim────▶ running  (the queue's retry after a lost worker takes it over)
 *     ├──cancel──▶ cancelled
 *     └──fail────▶ failed                      (the queue refused the job)
 *
 * succeeded, failed and cancelled are terminal. The server's conditional updates follow this table.
 */
export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_EVENTS = ["claim", "succeed", "fail", "cancel", "requeue"] as const;
export type RunEvent = (typeof RUN_EVENTS)[number];

const TABLE: Record<RunStatus, Partial<Record<RunEvent, RunStatus>>> = {
  queued: { claim: "running", cancel: "cancelled", fail: "failed" },
  running: { claim: "running", succeed: "succeeded", fail: "failed", cancel: "cancelled", requeue: "queued" },
  succeeded: {},
  failed: {},
  cancelled: {},
};

/** Statuses a run never leaves. */
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = RUN_STATUSES.filter(
  (s) => Object.keys(TABLE[s]).length === 0,
);
/** Statuses of a run still in progress. */
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = RUN_STATUSES.filter((s) => !TERMINAL_RUN_STATUSES.includes(s));

export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

export class IllegalRunTransitionError extends Error {
  constructor(
    readonly from: RunStatus,
    readonly event: RunEvent,
  ) {
    super(`A ${from} run cannot ${event}.`);
    this.name = "IllegalRunTransitionError";
  }
}

/** The status after `event`, or throws {@link IllegalRunTransitionError}. */
export function runTransition(from: RunStatus, event: RunEvent): RunStatus {
  const to = TABLE[from][event];
  if (!to) throw new IllegalRunTransitionError(from, event);
  return to;
}

/** Statuses from which `event` is allowed (the `where status in (…)` of a conditional update). */
export function statusesAllowing(event: RunEvent): RunStatus[] {
  return RUN_STATUSES.filter((s) => TABLE[s][event] !== undefined);
}
