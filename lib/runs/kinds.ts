/**
 * Run kinds and what each one's run stores as its result — the one list a new kind is added to.
 * A kind's input is its schema in lib/schemas/runs.ts; its handler is in server/jobs/handlers;
 * its result view in components/runs/run-result.tsx (see server/jobs/README.md, "Adding a run kind").
 */
import type { ImproveResult } from "@/lib/improve/types";
import type { AlertResult } from "@/lib/modes/alert";
import type { BacktestResult } from "@/lib/modes/backtest";
import type { EvolveResult } from "@/lib/modes/evolve";
import type { ForwardResult } from "@/lib/modes/forward";
import type { HydrateResult } from "./hydrate";
import type { OptimizeResult } from "@/lib/modes/optimize";
import type { ScreenResult } from "@/lib/modes/screen";

/** Every kind a run row may have. Kinds without an entry in {@link RunResults} are not runnable yet. */
export const RUN_KINDS = [
  "backtest",
  "screen",
  "alert",
  "optimize",
  "improve",
  "evolve",
  "forward",
  "hydrate",
] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** The result each runnable kind stores on its run. */
export interface RunResults {
  backtest: BacktestResult;
  screen: ScreenResult;
  alert: AlertResult;
  optimize: OptimizeResult;
  improve: ImproveResult;
  evolve: EvolveResult;
  forward: ForwardResult;
  hydrate: HydrateResult;
}

/** Kinds that can be started (they have an input schema, a handler and a result view). */
export type RunnableKind = keyof RunResults & RunKind;
export const RUNNABLE_RUN_KINDS = [
  "backtest",
  "screen",
  "alert",
  "optimize",
  "improve",
  "evolve",
  "forward",
  "hydrate",
] as const satisfies readonly RunnableKind[];
// Every key of RunResults is listed above (a kind added to one and not the other fails here).
const _allListed: Record<RunnableKind, true> = {
  backtest: true,
  screen: true,
  alert: true,
  optimize: true,
  improve: true,
  evolve: true,
  forward: true,
  hydrate: true,
} satisfies Record<(typeof RUNNABLE_RUN_KINDS)[number], true>;
void _allListed;

/** A stored run result of any runnable kind. */
export type RunResult = RunResults[RunnableKind];

/** A result together with its kind, so a switch on `kind` narrows `result`. */
export type TaggedRunResult = { [K in RunnableKind]: { kind: K; result: RunResults[K] } }[RunnableKind];

/** Kinds that work on market data rather than a strategy: their runs have no strategy or version. */
export const DATA_RUN_KINDS = ["hydrate"] as const satisfies readonly RunnableKind[];
export type DataRunKind = (typeof DATA_RUN_KINDS)[number];

export function isRunnableKind(kind: string): kind is RunnableKind {
  return (RUNNABLE_RUN_KINDS as readonly string[]).includes(kind);
}

/**
 * A run's result tagged with the run's kind. The run table stores kind and result in two columns;
 * the worker writes each kind's result with that kind's handler, so the pair always agrees.
 */
export function tagRunResult(kind: RunKind, result: RunResult | null | undefined): TaggedRunResult | null {
  if (!result || !isRunnableKind(kind)) return null;
  return { kind, result } as TaggedRunResult;
}
