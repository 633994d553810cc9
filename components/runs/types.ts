/**
 * Client-side shapes of runs (type-only imports keep server code out of the browser bundle).
 * tRPC sends JSON without a transformer, so dates arrive as ISO strings.
 */
import type { RunKind, RunProgress, RunStatus } from "@/server/db/schema";
import type { AlertResult } from "@/lib/modes/alert";
import type { BacktestResult } from "@/lib/modes/backtest";
import type { ScreenResult, ScreenRow } from "@/lib/modes/screen";

export type { AlertResult, BacktestResult, RunKind, RunProgress, RunStatus, ScreenResult, ScreenRow };

/** What the run's `input` holds for display (the full RunSpec plus the pinned version and strategy name). */
export interface RunInputView {
  strategyId?: string;
  strategyName?: string;
  version?: number;
  universe?: string;
  symbols?: string[];
  from?: string;
  to?: string;
}

export function runInput(input: Record<string, unknown>): RunInputView {
  return input as RunInputView;
}

export const ACTIVE_STATUSES: readonly RunStatus[] = ["queued", "running"];

export function isActive(status: RunStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}
