import "server-only";
/** The {@link StrategyRunner} every untrusted strategy goes through: the isolated-vm sandbox. */
import { validateParamSpecs } from "@/lib/sdk/params";
import { getSandboxPool, inspectStrategy, runStrategySignals } from "@/server/sandbox";
import type { StrategyInfo, StrategyRunner } from "@/lib/modes/runner";

/** Below this many symbols a call is not split across sandbox workers (the split costs more than it saves). */
const SPLIT_MIN_SYMBOLS = 64;
/** Inspections kept, by exact source text (a definition is a pure function of its source). */
const INSPECT_CACHE_SIZE = 64;
const inspected = new Map<string, StrategyInfo>();

export const sandboxRunner: StrategyRunner = {
  async inspect(source: string): Promise<StrategyInfo> {
    const hit = inspected.get(source);
    if (hit) return hit;
    const info = await inspectStrategy(source);
    // defineStrategy() already checked these inside the isolate; re-check on the host so the
    // declarations are typed from here on.
    validateParamSpecs(info.params);
    const result: StrategyInfo = {
      name: info.name,
      description: info.description,
      params: info.params,
      fundamentals: info.fundamentals,
      macro: info.macro,
    };
    if (inspected.size >= INSPECT_CACHE_SIZE) inspected.delete(inspected.keys().next().value as string);
    inspected.set(source, result);
    return result;
  },
  /** Large universes are split into one contiguous chunk per pool worker and run in parallel. */
  async signals(source, inputs, params, options) {
    const keys = options?.cacheKeys;
    const workers = getSandboxPool().size;
    if (inputs.length < SPLIT_MIN_SYMBOLS || workers < 2)
      return runStrategySignals(source, inputs, params, undefined, keys);
    const size = Math.ceil(inputs.length / workers);
    const chunks = [];
    for (let k = 0; k < inputs.length; k += size) chunks.push(k);
    const parts = await Promise.all(
      chunks.map((k) =>
        runStrategySignals(source, inputs.slice(k, k + size), params, undefined, keys?.slice(k, k + size)),
      ),
    );
    return parts.flat();
  },
};
