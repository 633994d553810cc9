/**
 * The forward mode: a strategy's paper results on the bars after `startMs` (signals see the earlier
 * history; trades start after it), compared with an expectation given as a log return per bar:
 * expected return = exp(k × forward bars) − 1. Pure; the runner executes the code.
 */
import type { BarSeries } from "@/lib/data/bars";
import { runBacktest } from "@/lib/modes/backtest";
import type { StrategyRunner } from "@/lib/modes/runner";

export interface ForwardResult {
  execution_mode: "forward";
  strategy_id: string;
  symbols: string[];
  start_ms: number;
  bars: number;
  times: number[];
  equity: number[];
  return_pct: number;
  expected_return_pct: number | null;
  max_drawdown_pct: number;
  num_trades: number;
}

export async function runForward(req: {
  source: string;
  runner: StrategyRunner;
  universe: BarSeries[];
  startMs: number;
  strategyId: string;
  expectedLogReturnPerBar: number | null;
}): Promise<ForwardResult> {
  const ts = req.universe[0]?.timestampsMs;
  const n = ts ? ts.filter((t) => t > req.startMs).length : 0;
  const base = {
    execution_mode: "forward" as const,
    strategy_id: req.strategyId,
    symbols: req.universe.map((u) => u.symbol),
    start_ms: req.startMs,
  };
  if (n === 0)
    return {
      ...base,
      bars: 0,
      times: [],
      equity: [],
      return_pct: 0,
      expected_return_pct: req.expectedLogReturnPerBar === null ? null : 0,
      max_drawdown_pct: 0,
      num_trades: 0,
    };
  const r = await runBacktest({
    source: req.source,
    runner: req.runner,
    universe: req.universe,
    fromMs: req.startMs + 1,
    lookAhead: false,
  });
  const eq = r.engine.equity;
  return {
    ...base,
    bars: eq.length,
    times: r.engine.timestamps,
    equity: eq,
    return_pct: r.performance_metrics.total_return_pct ?? 0,
    expected_return_pct:
      req.expectedLogReturnPerBar === null ? null : (Math.exp(req.expectedLogReturnPerBar * eq.length) - 1) * 100,
    max_drawdown_pct: r.performance_metrics.max_drawdown_pct ?? 0,
    num_trades: r.performance_metrics.num_trades ?? 0,
  };
}
