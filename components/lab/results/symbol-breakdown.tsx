/** Per-symbol results: trades, win rate, total P&L and average return, best symbols first. */
import type { BacktestResult } from "../types";

export function symbolBreakdown(trades: BacktestResult["engine"]["trades"]) {
  const by = new Map<string, { trades: number; wins: number; pnl: number; sumReturn: number }>();
  for (const t of trades) {
    const s = by.get(t.symbol) ?? { trades: 0, wins: 0, pnl: 0, sumReturn: 0 };
    s.trades += 1;
    s.wins += t.pnl > 0 ? 1 : 0;
    s.pnl += t.pnl;
    s.sumReturn += t.return_pct;
    by.set(t.symbol, s);
  }
  return [...by.entries()]
    .map(([symbol, s]) => ({
      symbol,
      trades: s.trades,
      winRatePct: (s.wins / s.trades) * 100,
      pnl: s.pnl,
      avgReturnPct: s.sumReturn / s.trades,
    }))
    .sort((a, b) => b.pnl - a.pnl);
}

export function SymbolBreakdown({ trades }: { trades: BacktestResult["engine"]["trades"] }) {
  const rows = symbolBreakdown(trades);
  return (
    <div
      data-testid="symbol-breakdown"
      className="max-h-80 overflow-y-auto"
      tabIndex={0}
      role="region"
      aria-label="Results by symbol"
    >
      <table className="w-full text-left text-sm">
        <thead className="sticky top-0 border-b border-slate-200 bg-white text-xs uppercase text-slate-500">
          <tr>
            <th className="px-2 py-1">Symbol</th>
            <th className="px-2 py-1 text-right">Trades</th>
            <th className="px-2 py-1 text-right">Win rate</th>
            <th className="px-2 py-1 text-right">Avg return</th>
            <th className="px-2 py-1 text-right">P&L</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.symbol} className="border-b border-slate-100 tabular-nums">
              <td className="px-2 py-1 font-medium">{r.symbol}</td>
              <td className="px-2 py-1 text-right">{r.trades}</td>
              <td className="px-2 py-1 text-right">{r.winRatePct.toFixed(0)}%</td>
              <td className="px-2 py-1 text-right">{r.avgReturnPct.toFixed(2)}%</td>
              <td className={`px-2 py-1 text-right ${r.pnl >= 0 ? "text-emerald-700" : "text-red-700"}`}>
                {r.pnl.toFixed(2)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
