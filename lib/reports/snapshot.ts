/**
 * The immutable snapshot a published report shows (pure): what the page needs, copied out of a
 * finished backtest — equity, drawdown, benchmark (thinned), metrics, trades, grade, optionally
 * the code. server/services/reports.ts stores it; components/reports renders it.
 */
import type { BacktestResult } from "@/lib/modes/backtest";
import type { BacktestAssumptions } from "./assumptions";

const MAX_POINTS = 1500;
const MAX_TRADES = 5000;

export interface ReportSnapshot {
  title: string;
  strategy: { name: string; params: Record<string, unknown>; version: number | null };
  trustworthy: boolean;
  warnings: string[];
  dateRange: [string, string] | null;
  symbols: number;
  metrics: Record<string, number | null>;
  grade: string | null;
  series: { timestamps: number[]; equity: number[]; drawdown: number[]; benchmark: number[] };
  trades: Record<string, unknown>[];
  tradesTruncated: boolean;
  code: string | null;
  publishedAt: string;
  /** What the numbers rest on; absent in reports published before it was recorded. */
  assumptions?: BacktestAssumptions;
}

/** Every k-th point (always keeping the last) so a long curve stays small. */
function thin(values: number[], step: number): number[] {
  if (step <= 1) return values;
  const out: number[] = [];
  for (let i = 0; i < values.length; i += step) out.push(values[i]);
  if ((values.length - 1) % step !== 0) out.push(values[values.length - 1]);
  return out;
}

function asArray(v: unknown): number[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === "number" ? x : Number.NaN)) : [];
}

export function buildSnapshot(
  backtest: BacktestResult,
  title: string,
  code: string | null,
  version: number | null,
  now: Date,
  assumptions?: BacktestAssumptions,
): ReportSnapshot {
  // Read defensively: rows written by older versions may lack fields.
  const result = backtest as Partial<BacktestResult> & Record<string, unknown>;
  const engine = (result.engine ?? {}) as Record<string, unknown>;
  const summary = (result.summary ?? {}) as Record<string, unknown>;
  const strategy = (result.strategy ?? {}) as { name?: string; params?: Record<string, unknown> };
  const timestamps = asArray(engine.timestamps);
  const step = Math.max(1, Math.ceil(timestamps.length / MAX_POINTS));
  const trades = Array.isArray(engine.trades) ? (engine.trades as Record<string, unknown>[]) : [];
  const graded = result.grade as { grade?: string; score?: number } | undefined;
  const grade = graded?.grade
    ? `${graded.grade.replace("_", " ")}${typeof graded.score === "number" ? ` · ${graded.score}/100` : ""}`
    : null;
  return {
    title,
    strategy: { name: strategy.name ?? title, params: strategy.params ?? {}, version },
    trustworthy: result.trustworthy !== false,
    warnings: Array.isArray(result.warnings) ? (result.warnings as string[]) : [],
    dateRange: Array.isArray(summary.date_range) ? (summary.date_range as [string, string]) : null,
    symbols: typeof summary.symbols_processed === "number" ? summary.symbols_processed : 0,
    metrics: (result.performance_metrics ?? {}) as Record<string, number | null>,
    grade,
    series: {
      timestamps: thin(timestamps, step),
      equity: thin(asArray(engine.equity), step),
      drawdown: thin(asArray(engine.drawdown), step),
      benchmark: thin(asArray(engine.benchmark), step),
    },
    trades: trades.slice(0, MAX_TRADES),
    tradesTruncated: trades.length > MAX_TRADES,
    code,
    publishedAt: now.toISOString(),
    ...(assumptions ? { assumptions } : {}),
  };
}
