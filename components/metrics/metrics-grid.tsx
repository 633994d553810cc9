/**
 * The one metrics card of every page (Lab results, run page, compare, public report). Server- and
 * client-renderable (no hooks). Each cell carries `data-metric` and the shown text.
 */
import { formatMetric, startingCapital, type MetricUnit } from "./format";

export const METRICS: { key: string; label: string; unit: MetricUnit; hint?: string }[] = [
  { key: "total_return_pct", label: "Total return", unit: "pct" },
  { key: "cagr_pct", label: "CAGR", unit: "pct", hint: "Compound annual growth rate" },
  { key: "sharpe", label: "Sharpe", unit: "ratio", hint: "Annualized mean return over volatility (risk-free rate 0)" },
  { key: "sortino", label: "Sortino", unit: "ratio", hint: "Like Sharpe, counting only downside volatility" },
  { key: "calmar", label: "Calmar", unit: "ratio", hint: "CAGR over maximum drawdown" },
  { key: "volatility_pct", label: "Volatility", unit: "pct", hint: "Annualized standard deviation of returns" },
  { key: "max_drawdown_pct", label: "Max drawdown", unit: "pct" },
  { key: "num_trades", label: "Trades", unit: "count" },
  { key: "win_rate_pct", label: "Win rate", unit: "pct" },
  { key: "profit_factor", label: "Profit factor", unit: "ratio", hint: "Gross profit over gross loss" },
  { key: "exposure_pct", label: "Exposure", unit: "pct", hint: "Share of bars with a position open" },
  {
    key: "buy_hold_return_pct",
    label: "Buy & hold",
    unit: "pct",
    hint: "Equal-weight buy and hold of the same symbols",
  },
  { key: "starting_capital", label: "Starting capital", unit: "money" },
  { key: "final_equity", label: "Final equity", unit: "money" },
];

/** Metric values with the derived starting capital added. */
export function withDerived(
  metrics: Record<string, number | null | undefined>,
): Record<string, number | null | undefined> {
  return { ...metrics, starting_capital: metrics.starting_capital ?? startingCapital(metrics) };
}

export function MetricsGrid({
  metrics,
  testId = "metrics",
}: {
  metrics: Record<string, number | null | undefined>;
  testId?: string;
}) {
  const m = withDerived(metrics);
  return (
    <dl data-testid={testId} className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
      {METRICS.map((c) => (
        <div key={c.key} className="rounded-md border border-slate-200 bg-white p-3" data-metric={c.key} title={c.hint}>
          <dt className="text-xs text-slate-600">{c.label}</dt>
          <dd className="text-lg font-semibold tabular-nums">{formatMetric(m[c.key], c.unit)}</dd>
        </div>
      ))}
    </dl>
  );
}
