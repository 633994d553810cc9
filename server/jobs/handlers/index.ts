import "server-only";
/** The run handler of each runnable kind. optimize/improve/evolve/forward add theirs here. */
import type { StrategyRunner } from "@/lib/modes/runner";
import type { RunHandlers } from "../run-context";
import { backtestHandler } from "./backtest";
import { evolveHandler } from "./evolve";
import { forwardHandler } from "./forward";
import { hydrateHandler } from "./hydrate";
import { improveHandler } from "./improve";
import { optimizeHandler } from "./optimize";
import { alertRunHandler, screenHandler } from "./screen-alert";

export function defaultRunHandlers(runner?: StrategyRunner): RunHandlers {
  return {
    backtest: backtestHandler(runner),
    screen: screenHandler(runner),
    alert: alertRunHandler(runner),
    optimize: optimizeHandler(runner),
    improve: improveHandler(runner),
    evolve: evolveHandler(runner),
    forward: forwardHandler(runner),
    hydrate: hydrateHandler(),
  };
}
