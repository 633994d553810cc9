import type { ReportSnapshot } from "@/server/services/reports";
import { SvgLineChart } from "./svg-line-chart";

const METRICS: [key: string, label: string, unit: "%" | "" | "$"][] = [
  ["total_return_pct", "Total return", "%"],
  ["cagr_pct", "CAGR", "%"],
  ["max_drawdown_pct", "Max drawdown", "%"],
  ["sharpe", "Sharpe", ""],
  ["sortino", "Sortino", ""],
  ["calmar", "Calmar", ""],
  ["volatility_pct", "Volatility", "%"],
  ["num_trades", "Trades", ""],
  ["win_rate_pct", "Win rate", "%"],
  ["profit_factor", "Profit factor", ""],
  ["exposure_pct", "Exposure", "%"],
  ["buy_hold_return_pct", "Buy & hold", "%"],
  ["final_equity", "Final equity", "$"],
];

function fmt(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  if (unit === "$") return `$${v.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
  return `${v.toLocaleString("en-US", { maximumFractionDigits: 2 })}${unit}`;
}

export function ReportView({ snapshot }: { snapshot: ReportSnapshot }) {
  const s = snapshot;
  return (
    <main className="mx-auto max-w-5xl space-y-8 px-6 py-10">
      <header className="space-y-1">
        <p className="text-sm uppercase tracking-wide text-slate-500">Shared backtest report · read-only</p>
        <h1 className="text-3xl font-semibold" data-testid="report-title">{s.title}</h1>
        <p className="text-slate-600">
          {s.dateRange ? `${s.dateRange[0].slice(0, 10)} → ${s.dateRange[1].slice(0, 10)} · ` : ""}
          {s.symbols} symbol{s.symbols === 1 ? "" : "s"} · published {s.publishedAt.slice(0, 10)}
          {s.grade ? ` · grade ${s.grade}` : ""}
        </p>
        {!s.trustworthy && (
          <p className="rounded-md bg-amber-100 px-3 py-2 text-amber-900" data-testid="report-untrustworthy">
            This strategy reads future data (look-ahead); its results are not trustworthy.
          </p>
        )}
      </header>
      <section className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="metrics">
        {METRICS.map(([key, label, unit]) => (
          <div key={key} className="rounded-lg border border-slate-200 bg-white p-3">
            <div className="text-xs text-slate-500">{label}</div>
            <div className="text-lg font-medium">{fmt(s.metrics[key], unit)}</div>
          </div>
        ))}
      </section>
      <section className="space-y-6 rounded-lg border border-slate-200 bg-white p-4">
        <SvgLineChart
          testId="equity-chart"
          format={(v) => `$${Math.round(v).toLocaleString("en-US")}`}
          series={[
            { label: "Strategy equity", values: s.series.equity, color: "#0f172a" },
            { label: "Buy & hold", values: s.series.benchmark, color: "#94a3b8" },
          ]}
        />
        <SvgLineChart
          testId="drawdown-chart"
          height={140}
          format={(v) => `${(v * 100).toFixed(0)}%`}
          series={[{ label: "Drawdown", values: s.series.drawdown, color: "#dc2626" }]}
        />
      </section>
      <section className="space-y-2">
        <h2 className="text-xl font-semibold">Trades ({s.trades.length}{s.tradesTruncated ? "+, truncated" : ""})</h2>
        {s.trades.length === 0 ? (
          <p className="text-slate-500">No closed trades in this backtest.</p>
        ) : (
          <div className="max-h-[480px] overflow-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="trades-table">
              <thead className="sticky top-0 bg-slate-100 text-left">
                <tr>{["Symbol", "Side", "Entry", "Exit", "Entry $", "Exit $", "Size", "P&L", "Return", "Reason"].map((h) => <th key={h} className="px-2 py-1">{h}</th>)}</tr>
              </thead>
              <tbody>
                {s.trades.map((t, i) => (
                  <tr key={i} className="border-t border-slate-100">
                    <td className="px-2 py-1">{String(t.symbol)}</td>
                    <td className="px-2 py-1">{String(t.side)}</td>
                    <td className="px-2 py-1">{String(t.entry_time).slice(0, 10)}</td>
                    <td className="px-2 py-1">{String(t.exit_time).slice(0, 10)}</td>
                    <td className="px-2 py-1">{fmt(Number(t.entry_price), "")}</td>
                    <td className="px-2 py-1">{fmt(Number(t.exit_price), "")}</td>
                    <td className="px-2 py-1">{fmt(Number(t.size), "")}</td>
                    <td className="px-2 py-1">{fmt(Number(t.pnl), "")}</td>
                    <td className="px-2 py-1">{fmt(Number(t.return_pct), "%")}</td>
                    <td className="px-2 py-1">{String(t.exit_reason)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {s.code && (
        <section className="space-y-2">
          <h2 className="text-xl font-semibold">Strategy code{s.strategy.version ? ` (version ${s.strategy.version})` : ""}</h2>
          <pre className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs text-slate-100" data-testid="report-code">{s.code}</pre>
        </section>
      )}
    </main>
  );
}
