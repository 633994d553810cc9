import "server-only";
/** The runner the modes use when none is given: the sandbox, for all strategy code. */
import type { StrategyRunner } from "./runner";
import { sandboxRunner } from "./sandbox-runner";

export function defaultRunner(): StrategyRunner {
  return sandboxRunner;
}
