/**
 * Backtest mode: strategy signals over the history (sandbox) → engine → metrics, plus the
 * look-ahead check. Signals are computed on bars up to `toMs` (indicators warm up on history
 * before `fromMs`); the simulation covers `[fromMs, toMs]`.
 */
import type { StaleSymbol } from "@/lib/data/staleness";
import type { SimConfigInput } from "@/lib/engine/config";
import { buildReport } from "@/lib/engine/report";
import { gradeStrategy, type Grade } from "@/lib/metrics/grade";
import { simulate } from "@/lib/engine/simulate";
import type { OpenPosition, TradeRecord } from "@/lib/engine/types";
import { type LookAheadOptions, type LookAheadResult, checkLookAhead } from "@/lib/sdk/look-ahead";
import type { ParamValues } from "@/lib/sdk/types";
import {
  type ModeRequest,
  buildInputs,
  isoTime,
  missingFundamentalsWarning,
  missingMacroWarning,
  prepareStrategy,
} from "./common";
import { EmptyRangeError, cutAt, sliceSeries, sliceSignals, startIndexes } from "./window";

export interface BacktestRequest extends ModeRequest {
  config?: SimConfigInput;
  /** First bar to simulate, UTC ms (inclusive). */
  fromMs?: number;
  /** Last bar to use at all, UTC ms (inclusive). */
  toMs?: number;
  /** Look-ahead check options, or false to skip it. Default: on. */
  lookAhead?: LookAheadOptions | false;
}

/** A closed trade as JSON (prices after slippage; return in percent). */
export interface TradeJson {
  symbol: string;
  side: "long" | "short";
  entry_bar: number;
  exit_bar: number;
  entry_time: string;
  exit_time: string;
  entry_price: number;
  exit_price: number;
  size: number;
  pnl: number;
  return_pct: number;
  bars_held: number;
  exit_reason: string;
  commission: number;
}

/** A position still open after the last bar, marked to the last close. */
export interface OpenPositionJson {
  symbol: string;
  side: "long" | "short";
  entry_bar: number;
  entry_time: string;
  entry_price: number;
  size: number;
  mark_price: number;
  unrealized_pnl: number;
  return_pct: number;
  bars_held: number;
}

/** One trade seen as a signal instance (the seed's shape): when, where, and what followed. */
export interface BacktestInstance {
  ticker: string;
  timestamp: number;
  classification: true;
  side: "long" | "short";
  entry_price: number;
  exit_price: number | null;
  exit_timestamp: number | null;
  /** Trade return as a fraction (0.08 = 8 %); open positions are marked to the last close. */
  future_return: number;
  exit_reason: string;
}

export interface BacktestResult {
  /** Symbols whose provider data is stale as of the run (lib/data/staleness.ts); absent when none. */
  stale?: StaleSymbol[];
  success: true;
  strategy_id: string | number | null;
  execution_mode: "backtest";
  strategy: { name: string; params: ParamValues };
  /** false when the look-ahead check found the strategy reading future bars. */
  trustworthy: boolean;
  warnings: string[];
  instances: BacktestInstance[];
  summary: {
    total_instances: number;
    positive_signals: number;
    date_range: [string, string];
    symbols_processed: number;
    bars: number;
    open_positions: number;
  };
  /** The report's metrics (snake_case, percent where the key says `_pct`) plus the seed's trade statistics. */
  performance_metrics: Record<string, number | null>;
  /** Score 0–100 and level (lib/metrics/grade.ts). */
  grade: Grade;
  look_ahead: LookAheadResult;
  engine: {
    timestamps: number[];
    equity: number[];
    /** Fraction below the running peak (0 at a high, negative below). */
    drawdown: number[];
    benchmark: number[];
    trades: TradeJson[];
    open_positions: OpenPositionJson[];
  };
}

function tradeJson(t: TradeRecord): TradeJson {
  return {
    symbol: t.symbol,
    side: t.side,
    entry_bar: t.entryBar,
    exit_bar: t.exitBar,
    entry_time: isoTime(t.entryTimeMs),
    exit_time: isoTime(t.exitTimeMs),
    entry_price: t.entryPrice,
    exit_price: t.exitPrice,
    size: t.size,
    pnl: t.pnl,
    return_pct: t.returnPct,
    bars_held: t.barsHeld,
    exit_reason: t.exitReason,
    commission: t.entryCommission + t.exitCommission,
  };
}

function openJson(p: OpenPosition): OpenPositionJson {
  return {
    symbol: p.symbol,
    side: p.side,
    entry_bar: p.entryBar,
    entry_time: isoTime(p.entryTimeMs),
    entry_price: p.entryPrice,
    size: p.size,
    mark_price: p.markPrice,
    unrealized_pnl: p.unrealizedPnl,
    return_pct: p.returnPct,
    bars_held: p.barsHeld,
  };
}

/** The seed's per-instance statistics, as fractions. */
function instanceStats(instances: BacktestInstance[]): Record<string, number | null> {
  const r = instances.map((x) => x.future_return);
  if (r.length === 0) return { average_return: null, hit_rate: null, max_return: null, positive_return_rate: null };
  const wins = r.filter((x) => x > 0).length;
  return {
    average_return: r.reduce((a, b) => a + b, 0) / r.length,
    hit_rate: wins / r.length,
    max_return: Math.max(...r),
    positive_return_rate: wins / r.length,
  };
}

/** Run a backtest of `source` over the universe. Throws ParamError, EmptyRangeError, engine and sandbox errors. */
export async function runBacktest(req: BacktestRequest): Promise<BacktestResult> {
  const prepared = await prepareStrategy(req);
  if (req.universe.length === 0) throw new EmptyRangeError("the universe has no symbols");
  const history = cutAt(req.universe, req.toMs);
  const inputs = buildInputs(history, prepared.info, req.fundamentals, req.macro);
  const run = (xs: typeof inputs) => prepared.runner.signals(req.source, xs, prepared.params);
  const signals = await run(inputs);
  const lookAhead: LookAheadResult =
    req.lookAhead === false
      ? { usesFutureData: false, cuts: [] }
      : await checkLookAhead(run, inputs, signals, req.lookAhead);

  const starts = startIndexes(history, req.fromMs);
  const universe = history.map((s, k) => sliceSeries(s, starts[k], s.close.length));
  const windowSignals = signals.map((sig, k) => sliceSignals(sig, starts[k], history[k].close.length));
  const sim = simulate(universe, windowSignals, req.config ?? {});
  const report = buildReport(sim);

  const instances: BacktestInstance[] = [
    ...sim.trades.map((t) => ({
      ticker: t.symbol,
      timestamp: t.entryTimeMs,
      classification: true as const,
      side: t.side,
      entry_price: t.entryPrice,
      exit_price: t.exitPrice,
      exit_timestamp: t.exitTimeMs,
      future_return: t.returnPct / 100,
      exit_reason: t.exitReason,
    })),
    ...sim.openPositions.map((p) => ({
      ticker: p.symbol,
      timestamp: p.entryTimeMs,
      classification: true as const,
      side: p.side,
      entry_price: p.entryPrice,
      exit_price: null,
      exit_timestamp: null,
      future_return: p.returnPct / 100,
      exit_reason: "open",
    })),
  ];
  const warnings: string[] = [];
  if (lookAhead.usesFutureData) {
    warnings.push(
      `uses future data: "${lookAhead.output}" of ${lookAhead.symbol} differs at bar ${lookAhead.firstBar} when later bars are hidden — results are not trustworthy`,
    );
  }
  if (lookAhead.error) warnings.push(`look-ahead check inconclusive: ${lookAhead.error}`);
  const noFundamentals = missingFundamentalsWarning(req.universe, prepared.info, req.fundamentals);
  if (noFundamentals) warnings.push(noFundamentals);
  const noMacro = missingMacroWarning(prepared.info, req.macro);
  if (noMacro) warnings.push(noMacro);
  const ts = sim.timestampsMs;
  return {
    success: true,
    strategy_id: req.strategyId ?? null,
    execution_mode: "backtest",
    strategy: { name: prepared.info.name, params: prepared.params },
    trustworthy: !lookAhead.usesFutureData,
    warnings,
    instances,
    summary: {
      total_instances: instances.length,
      positive_signals: instances.filter((x) => x.future_return > 0).length,
      date_range: [isoTime(ts[0]).slice(0, 10), isoTime(ts[ts.length - 1]).slice(0, 10)],
      symbols_processed: universe.length,
      bars: ts.length,
      open_positions: sim.openPositions.length,
    },
    performance_metrics: { ...report, sharpe_ratio: report.sharpe, ...instanceStats(instances) },
    grade: gradeStrategy({
      equity: sim.equity,
      benchmark: sim.benchmarkEquity,
      sharpe: report.sharpe ?? Number.NaN,
      profitFactor: report.profit_factor ?? Number.NaN,
      numTrades: report.num_trades ?? 0,
    }),
    look_ahead: lookAhead,
    engine: {
      timestamps: Array.from(ts),
      equity: Array.from(sim.equity),
      drawdown: Array.from(sim.drawdown),
      benchmark: Array.from(sim.benchmarkEquity),
      trades: sim.trades.map(tradeJson),
      open_positions: sim.openPositions.map(openJson),
    },
  };
}
