"use client";
/**
 * A backtest's results: warnings (look-ahead), metrics, equity vs buy & hold with drawdown under
 * it, a traded symbol's price with entries and exits, monthly returns, the trade return
 * distribution, trades and per-symbol figures.
 */
import { DrawdownChart } from "@/components/charts/drawdown-chart";
import { EquityChart } from "@/components/charts/equity-chart";
import { MonthlyHeatmap } from "@/components/charts/monthly-heatmap";
import { PriceChart } from "@/components/charts/price-chart";
import { TradeDistribution } from "@/components/charts/trade-distribution";
import { PANEL_HINT } from "@/components/ui/panel-hint";
import type { BacktestResult } from "../types";
import { MetricsCards } from "./metrics-cards";
import { SymbolBreakdown } from "./symbol-breakdown";
import { TradesTable } from "./trades-table";

export function ResultsView({ result }: { result: BacktestResult }) {
  const e = result.engine;
  const noTrades = e.trades.length === 0 && e.open_positions.length === 0;
  return (
    <div className="flex flex-col gap-5" data-testid="results">
      {!result.trustworthy ? (
        <div
          role="alert"
          data-testid="look-ahead-flag"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800"
        >
          Uses future data — these results are not trustworthy. {result.warnings.join(" ")}
        </div>
      ) : result.warnings.length > 0 ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-800">
          {result.warnings.join(" ")}
        </div>
      ) : null}
      <p className="text-xs text-slate-500">
        {result.summary.symbols_processed} symbols · {result.summary.date_range[0].slice(0, 10)} →{" "}
        {result.summary.date_range[1].slice(0, 10)} · {result.summary.bars} bars
      </p>
      <div data-panel="metrics" tabIndex={-1} title={PANEL_HINT}>
        <MetricsCards metrics={result.performance_metrics} />
      </div>
      <div data-panel="charts" tabIndex={-1} className="flex flex-col gap-5">
        <EquityChart timestamps={e.timestamps} equity={e.equity} benchmark={e.benchmark} />
        <DrawdownChart timestamps={e.timestamps} drawdown={e.drawdown} />
        {e.trades.length > 0 ? <PriceChart trades={e.trades} dateRange={result.summary.date_range} /> : null}
        <MonthlyHeatmap timestamps={e.timestamps} equity={e.equity} />
        {e.trades.length > 0 ? <TradeDistribution returnsPct={e.trades.map((t) => t.return_pct)} /> : null}
      </div>
      {noTrades ? (
        <div
          data-testid="no-trades"
          className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600"
        >
          No trades: the entry conditions never held on this universe and date range. Loosen the parameters, widen the
          dates or pick another universe.
          <div data-testid="trades-table" className="hidden" />
        </div>
      ) : (
        <div className="grid grid-cols-1 gap-5 lg:grid-cols-3" data-panel="trades" tabIndex={-1}>
          <div className="lg:col-span-2">
            <h3 className="mb-2 text-sm font-semibold" title={PANEL_HINT}>
              Trades
            </h3>
            <TradesTable trades={e.trades} />
          </div>
          <div>
            <h3 className="mb-2 text-sm font-semibold">By symbol</h3>
            <SymbolBreakdown trades={e.trades} />
          </div>
        </div>
      )}
    </div>
  );
}
