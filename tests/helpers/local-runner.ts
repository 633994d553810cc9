/**
 * Runs strategy source as plain code in this process — no isolation, no limits. Only for
 * trusted code (the built-in examples in tests); everything else goes through the sandbox.
 */
import { transformSync } from "esbuild";
import type { SignalArrays } from "@/lib/engine/signals";
import type { StrategyInput } from "@/lib/sdk/bars";
import { normalizeOutput } from "@/lib/sdk/normalize";
import { resolveParams } from "@/lib/sdk/params";
import * as sdk from "@/lib/sdk/runtime";
import type { StrategyDefinition } from "@/lib/sdk/types";
import type { StrategyInfo, StrategyRunner } from "@/lib/modes/runner";

const cache = new Map<string, StrategyDefinition>();

/** Compile and evaluate `source`, returning its default-exported definition. */
export function loadDefinition(source: string): StrategyDefinition {
  const hit = cache.get(source);
  if (hit) return hit;
  const { code } = transformSync(source, { loader: "ts", format: "cjs", target: "es2022" });
  const mod = { exports: {} as Record<string, unknown> };
  const require = (id: string): unknown => {
    if (id === "@strategy-lab/sdk") return sdk;
    throw new Error(`strategies may import only "@strategy-lab/sdk", not "${id}"`);
  };
  new Function("require", "module", "exports", code)(require, mod, mod.exports);
  const def = mod.exports.default as StrategyDefinition | undefined;
  if (!def || typeof def.signals !== "function")
    throw new Error("the strategy must `export default defineStrategy({ … })`");
  cache.set(source, def);
  return def;
}

/** A {@link StrategyRunner} that evaluates source in-process (trusted code only). */
export const localRunner: StrategyRunner = {
  async inspect(source: string): Promise<StrategyInfo> {
    const def = loadDefinition(source);
    return {
      name: def.name,
      description: def.description ?? "",
      params: def.params,
      fundamentals: def.fundamentals === true,
      macro: def.macro ? [...def.macro] : [],
    };
  },
  async signals(source, inputs: StrategyInput[], params): Promise<SignalArrays[]> {
    const def = loadDefinition(source);
    const values = resolveParams(def.params, params);
    return inputs.map(({ symbol, bars }) =>
      normalizeOutput(def.signals({ ...bars, symbol }, values, sdk.ta), bars.close.length, symbol),
    );
  },
};
