import "server-only";
/** The runner the modes use when none is given: the sandbox for all strategy code. */
import { localRunner } from "./local-runner";
import type { StrategyRunner } from "./runner";

/** Until the sandbox host lands, strategies run in-process. */
export function defaultRunner(): StrategyRunner {
  return localRunner;
}
