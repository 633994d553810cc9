import "server-only";
/** The {@link StrategyRunner} every untrusted strategy goes through: the isolated-vm sandbox. */
import { validateParamSpecs } from "@/lib/sdk/params";
import { inspectStrategy, runStrategySignals } from "@/server/sandbox";
import type { StrategyInfo, StrategyRunner } from "./runner";

export const sandboxRunner: StrategyRunner = {
  async inspect(source: string): Promise<StrategyInfo> {
    const info = await inspectStrategy(source);
    // defineStrategy() already checked these inside the isolate; re-check on the host so the
    // declarations are typed from here on.
    validateParamSpecs(info.params);
    return { name: info.name, description: info.description, params: info.params, fundamentals: info.fundamentals };
  },
  signals(source, inputs, params) {
    return runStrategySignals(source, inputs, params);
  },
};
