import "server-only";
/** Shared steps of the run handlers: the run's strategy code, its symbols, chunking. */
import type { StrategyRunner } from "@/lib/modes/runner";
import { runInputOf, type RunInput, type StrategyRunKind } from "@/lib/schemas/runs";
import { getVersion } from "@/server/services/strategies";
import type { StaleSymbol } from "@/lib/data/staleness";
import { staleSymbols } from "@/server/data/staleness";
import { dayMs, resolveSymbols } from "../bars";
import { PermanentRunError, type RunContext } from "../run-context";

export interface PreparedRun<K extends StrategyRunKind = StrategyRunKind> {
  input: RunInput<K>;
  source: string;
  symbols: string[];
  fundamentals: boolean;
  /** Macro series ids the strategy declares. */
  macro: string[];
  fromMs?: number;
  toMs?: number;
}

/** Load the pinned strategy version and resolve the symbols. Missing data or code is permanent. */
export async function prepareRun<K extends StrategyRunKind>(
  ctx: RunContext,
  kind: K,
  runner: StrategyRunner,
): Promise<PreparedRun<K>> {
  const input = runInputOf(ctx.run, kind);
  await ctx.progress("loading strategy", 1, true);
  const { version } = await getVersion(ctx.db, ctx.run.workspaceId, input.strategyId, input.version);
  const info = await runner.inspect(version.code);
  const symbols = await resolveSymbols(
    ctx.db,
    ctx.run.workspaceId,
    { universe: input.universe, symbols: input.symbols },
    {
      onWait: async (written, expected) => {
        await ctx.checkpoint();
        await ctx.progress(
          `waiting for the demo universe: ${written} of ${expected} symbols written`,
          (written / expected) * 5,
          true,
        );
      },
    },
  );
  if (symbols.length === 0) throw new PermanentRunError(`Universe "${input.universe ?? ""}" has no symbols.`);
  return {
    input,
    source: version.code,
    symbols,
    fundamentals: info.fundamentals,
    macro: info.macro ?? [],
    fromMs: dayMs(input.from, false),
    toMs: dayMs(input.to, true),
  };
}

/**
 * `result` with the run's stale symbols (provider data whose last bar is too far behind the run's
 * `to`, or the day it ran: lib/data/staleness.ts) listed as `stale`, when any.
 */
export async function withStale<R extends object>(
  ctx: RunContext,
  run: Pick<PreparedRun, "symbols" | "toMs">,
  result: R,
): Promise<R & { stale?: StaleSymbol[] }> {
  const nowMs = Date.now();
  const asOfMs = run.toMs !== undefined ? Math.min(run.toMs, nowMs) : nowMs;
  const stale = await staleSymbols(ctx.db, ctx.run.workspaceId, run.symbols, asOfMs);
  return stale.length > 0 ? { ...result, stale } : result;
}

/** `items` in slices of `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
