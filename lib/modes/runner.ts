/**
 * How the run modes execute strategy code: a port with two adapters — the isolated-vm sandbox
 * (`server/sandbox/strategy-runner.ts`, for any code) and an in-process runner for trusted code
 * in tests (`tests/helpers/local-runner.ts`).
 */
import type { SignalArrays } from "@/lib/engine/signals";
import type { StrategyInput } from "@/lib/sdk/bars";
import type { ParamSpecs } from "@/lib/sdk/types";

/** What a strategy declares about itself. */
export interface StrategyInfo {
  name: string;
  description: string;
  params: ParamSpecs;
  /** true when the strategy needs fundamentals alongside the bars. */
  fundamentals: boolean;
  /** Macro series ids the strategy reads as extra inputs (empty or absent: none). */
  macro?: string[];
}

/** Executes strategy source: inspection, and signals over many symbols in one call. */
export interface StrategyRunner {
  inspect(source: string): Promise<StrategyInfo>;
  /**
   * `params` are resolved against the strategy's declarations (defaults fill gaps). `cacheKeys`
   * (optional, one per input): a key names its input's data — the same key always means the same
   * bars — so a runner may keep the data between calls (the sandbox keeps it in its child
   * processes) instead of shipping it again. Keys must be unguessable and scoped to one caller.
   */
  signals(
    source: string,
    inputs: StrategyInput[],
    params: Record<string, string | number | boolean>,
    options?: { cacheKeys?: readonly (string | undefined)[] },
  ): Promise<SignalArrays[]>;
}
