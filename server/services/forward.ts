import "server-only";
/**
 * Forward tests: a SHADOW or LIVE strategy's latest code runs on the bars that arrived after it
 * entered SHADOW (its signals may read the earlier history; trades start after it), through the
 * same sandbox and engine as a backtest — a paper portfolio, no broker. The forward equity is
 * stored and compared with what the candidate backtest predicted for the same number of bars:
 * expected return = exp(expected log return per bar × forward bars) − 1, where the expectation is
 * the backtest's ln(1 + total return) / its bars.
 */
import { eq } from "drizzle-orm";
import { commonCalendar } from "@/lib/modes/evolve";
import { runForward } from "@/lib/modes/forward";
import type { StrategyRunner } from "@/lib/modes/runner";
import type { DbOrTx } from "@/server/db";
import { forwardTests, type ForwardTest } from "@/server/db/schema";
import { loadBars } from "@/server/data/store";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import { getVersion } from "./strategies";

/** The backtest's expectation as a log return per bar (null when it cannot be known). */
export function expectedLogReturnPerBar(
  totalReturnPct: number | null | undefined,
  bars: number | null | undefined,
): number | null {
  if (totalReturnPct === null || totalReturnPct === undefined || !bars || bars < 1 || !(totalReturnPct > -100))
    return null;
  return Math.log(1 + totalReturnPct / 100) / bars;
}

/** Begins (or restarts) a strategy's forward test at `startBarMs`. */
export async function startForwardTest(
  tx: DbOrTx,
  input: {
    strategyId: string;
    workspaceId: string;
    symbols: string[];
    startBarMs: number;
    expectedLogReturnPerBar: number | null;
  },
): Promise<void> {
  const values = {
    workspaceId: input.workspaceId,
    symbols: input.symbols,
    startBarMs: input.startBarMs,
    expectedLogReturnPerBar: input.expectedLogReturnPerBar,
    times: [],
    equity: [],
    returnPct: null,
    expectedReturnPct: null,
    maxDrawdownPct: null,
    lastError: null,
    updatedAt: new Date(),
  };
  await tx
    .insert(forwardTests)
    .values({ strategyId: input.strategyId, ...values })
    .onConflictDoUpdate({ target: forwardTests.strategyId, set: values });
}

export async function getForwardTest(db: DbOrTx, strategyId: string): Promise<ForwardTest | null> {
  const [row] = await db.select().from(forwardTests).where(eq(forwardTests.strategyId, strategyId)).limit(1);
  return row ?? null;
}

/** Recomputes the forward test from the bars now stored; returns the updated row. */
export async function runForwardTest(
  db: DbOrTx,
  strategyId: string,
  opts: { runner?: StrategyRunner; now: Date },
): Promise<ForwardTest | null> {
  const ft = await getForwardTest(db, strategyId);
  if (!ft) return null;
  let patch: Partial<typeof forwardTests.$inferInsert>;
  try {
    const { version } = await getVersion(db, ft.workspaceId, strategyId);
    const universe = commonCalendar(await loadBars(db, ft.symbols, { workspaceId: ft.workspaceId }));
    const r = await runForward({
      source: version.code,
      runner: opts.runner ?? sandboxRunner,
      universe,
      startMs: ft.startBarMs,
      strategyId,
      expectedLogReturnPerBar: ft.expectedLogReturnPerBar,
    });
    patch = {
      times: r.times,
      equity: r.equity,
      returnPct: r.return_pct,
      expectedReturnPct: r.expected_return_pct,
      maxDrawdownPct: r.max_drawdown_pct,
      lastError: null,
    };
  } catch (err) {
    patch = { lastError: err instanceof Error ? err.message : String(err) };
  }
  const [row] = await db
    .update(forwardTests)
    .set({ ...patch, updatedAt: opts.now })
    .where(eq(forwardTests.strategyId, strategyId))
    .returning();
  return row;
}
