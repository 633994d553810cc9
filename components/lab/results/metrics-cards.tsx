/** The headline backtest metrics as cards (values rounded only here, at the edge). */
const CARDS: { key: string; label: string; unit?: "%" | "x" }[] = [
  { key: "total_return_pct", label: "Total return", unit: "%" },
  { key: "cagr_pct", label: "CAGR", unit: "%" },
  { key: "sharpe", label: "Sharpe" },
  { key: "sortino", label: "Sortino" },
  { key: "max_drawdown_pct", label: "Max drawdown", unit: "%" },
  { key: "num_trades", label: "Trades" },
  { key: "win_rate_pct", label: "Win rate", unit: "%" },
  { key: "profit_factor", label: "Profit factor", unit: "x" },
  { key: "exposure_pct", label: "Exposure", unit: "%" },
  { key: "buy_hold_return_pct", label: "Buy & hold", unit: "%" },
];

function show(v: number | null | undefined, unit?: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const digits = Math.abs(v) >= 100 ? 0 : 2;
  return `${v.toFixed(digits)}${unit === "%" ? "%" : unit === "x" ? "×" : ""}`;
}

export function MetricsCards({ metrics }: { metrics: Record<string, number | null> }) {
  return (
    <div data-testid="metrics" className="grid grid-cols-2 gap-3 sm:grid-cols-5">
      {CARDS.map((c) => (
        <div key={c.key} className="rounded-md border border-slate-200 p-3" data-metric={c.key}>
          <div className="text-xs text-slate-500">{c.label}</div>
          <div className="text-lg font-semibold tabular-nums">{show(metrics[c.key], c.unit)}</div>
        </div>
      ))}
    </div>
  );
}
