/**
 * Client-side shapes of runs: what the runs router returns (its inferred outputs; tRPC sends JSON
 * without a transformer, so dates arrive as ISO strings), and the kinds, statuses and per-kind
 * results defined once in lib/.
 */
import type { inferRouterOutputs } from "@trpc/server";
import { ACTIVE_RUN_STATUSES, type RunStatus } from "@/lib/lifecycle/run";
import type { RunKind, RunResults, TaggedRunResult } from "@/lib/runs/kinds";
import type { AppRouter } from "@/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>["runs"];

/** One run as `runs.get` returns it. */
export type RunView = Outputs["get"];
/** One row of `runs.list` (no result). */
export type RunListRow = Outputs["list"]["rows"][number];
export type RunProgress = RunView["progress"];
/** What the run's `input` holds: its kind's spec plus the pinned version and strategy name. */
export type RunInputView = RunView["input"];

export type BacktestResult = RunResults["backtest"];
export type ScreenResult = RunResults["screen"];
export type ScreenRow = ScreenResult["ranked_results"][number];
export type AlertResult = RunResults["alert"];
export type { RunKind, RunStatus, TaggedRunResult };

export const ACTIVE_STATUSES = ACTIVE_RUN_STATUSES;

export function isActive(status: RunStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}
