import Link from "next/link";
import { formatMetric, formatMoneyShort, formatPrice } from "@/components/metrics/format";
import { MetricsGrid } from "@/components/metrics/metrics-grid";
import type { ReportSnapshot } from "@/lib/reports/snapshot";
import { DataKindBanner, ReportAssumptions } from "./report-assumptions";
import { TradeDistribution } from "@/components/charts/trade-distribution";
import { SvgLineChart } from "./svg-line-chart";

/** Trades shown per page: the page's HTML stays small however many trades the backtest had. */
export const REPORT_TRADES_PER_PAGE = 50;

function TradesPager({ page, pages, total }: { page: number; pages: number; total: number }) {
  const from = (page - 1) * REPORT_TRADES_PER_PAGE + 1;
  const to = Math.min(total, page * REPORT_TRADES_PER_PAGE);
  return (
    <nav aria-label="Trade pages" className="flex items-center gap-3 text-sm" data-testid="report-trades-pager">
      <span className="text-slate-600">
        Trades {from}–{to} of {total.toLocaleString("en-US")}
      </span>
      {page > 1 ? (
        <Link href={`?trades=${page - 1}#trades`} className="underline" rel="prev">
          ‹ Previous
        </Link>
      ) : null}
      {page < pages ? (
        <Link href={`?trades=${page + 1}#trades`} className="underline" rel="next" data-testid="report-trades-next">
          Next ›
        </Link>
      ) : null}
    </nav>
  );
}

export function ReportView({ snapshot, tradesPage = 1 }: { snapshot: ReportSnapshot; tradesPage?: number }) {
  const s = snapshot;
  const a = s.assumptions;
  const pages = Math.max(1, Math.ceil(s.trades.length / REPORT_TRADES_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(tradesPage) || 1), pages);
  const shown = s.trades.slice((page - 1) * REPORT_TRADES_PER_PAGE, page * REPORT_TRADES_PER_PAGE);
  return (
    <main className="mx-auto max-w-5xl space-y-8 px-4 py-10 sm:px-6">
      <header className="space-y-2">
        <p className="text-sm uppercase tracking-wide text-slate-600">Shared backtest report · read-only</p>
        <h1 className="text-3xl font-semibold" data-testid="report-title">
          {s.title}
        </h1>
        <p className="text-slate-700">
          {s.dateRange ? `${s.dateRange[0].slice(0, 10)} → ${s.dateRange[1].slice(0, 10)} · ` : ""}
          {a?.universe ? `${a.universe} · ` : ""}
          {s.symbols} symbol{s.symbols === 1 ? "" : "s"} · published {s.publishedAt.slice(0, 10)}
          {s.grade ? ` · grade ${s.grade}` : ""}
        </p>
        {a ? <DataKindBanner kind={a.dataKind} /> : null}
        {!s.trustworthy && (
          <p className="rounded-md bg-amber-100 px-3 py-2 text-amber-900" data-testid="report-untrustworthy">
            This strategy reads future data (look-ahead); its results are not trustworthy.
          </p>
        )}
      </header>
      <section aria-label="Metrics">
        <MetricsGrid metrics={s.metrics} />
      </section>
      <section className="space-y-6 rounded-lg border border-slate-200 bg-white p-4">
        <SvgLineChart
          title="Equity (US$)"
          testId="equity-chart"
          timestamps={s.series.timestamps}
          format={formatMoneyShort}
          series={[
            { label: "Strategy equity", values: s.series.equity, color: "#2563eb" },
            { label: "Buy & hold", values: s.series.benchmark, color: "#94a3b8" },
          ]}
        />
        <SvgLineChart
          title="Drawdown (% below the running peak)"
          testId="drawdown-chart"
          height={160}
          timestamps={s.series.timestamps}
          format={(v) => `${Number((v * 100).toFixed(2))} %`}
          series={[{ label: "Drawdown", values: s.series.drawdown, color: "#dc2626", area: true }]}
        />
        {s.trades.length > 0 ? <TradeDistribution returnsPct={s.trades.map((t) => Number(t.return_pct))} /> : null}
      </section>
      {a ? (
        <ReportAssumptions a={a} period={s.dateRange} />
      ) : (
        <p className="text-sm text-slate-600" data-testid="report-assumptions-missing">
          This report was published before its assumptions (data source, costs, fills) were recorded.
        </p>
      )}
      <section className="space-y-2" id="trades">
        <h2 className="text-xl font-semibold">
          Trades ({s.trades.length.toLocaleString("en-US")}
          {s.tradesTruncated ? "+, truncated" : ""})
        </h2>
        {s.trades.length === 0 ? (
          <p className="text-slate-600">No closed trades in this backtest.</p>
        ) : (
          <>
            <TradesPager page={page} pages={pages} total={s.trades.length} />
            <div
              className="overflow-x-auto rounded-lg border border-slate-200 bg-white"
              tabIndex={0}
              role="region"
              aria-label="Trades"
            >
              <table className="w-full text-sm" data-testid="trades-table" data-page={page}>
                <thead className="bg-slate-100 text-left">
                  <tr>
                    {[
                      "Symbol",
                      "Side",
                      "Entry",
                      "Exit",
                      "Entry price",
                      "Exit price",
                      "Size",
                      "P&L",
                      "Return",
                      "Reason",
                    ].map((h) => (
                      <th key={h} scope="col" className="px-2 py-1">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {shown.map((t, i) => (
                    <tr key={i} className="border-t border-slate-100">
                      <td className="px-2 py-1">{String(t.symbol)}</td>
                      <td className="px-2 py-1">{String(t.side)}</td>
                      <td className="px-2 py-1">{String(t.entry_time).slice(0, 10)}</td>
                      <td className="px-2 py-1">{String(t.exit_time).slice(0, 10)}</td>
                      <td className="px-2 py-1 tabular-nums">{formatPrice(Number(t.entry_price))}</td>
                      <td className="px-2 py-1 tabular-nums">{formatPrice(Number(t.exit_price))}</td>
                      <td className="px-2 py-1 tabular-nums">
                        {Number(t.size).toLocaleString("en-US", { maximumFractionDigits: 4 })}
                      </td>
                      <td className="px-2 py-1 tabular-nums">{formatPrice(Number(t.pnl))}</td>
                      <td className="px-2 py-1 tabular-nums">{formatMetric(Number(t.return_pct), "pct")}</td>
                      <td className="px-2 py-1">{String(t.exit_reason)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
      {s.code && (
        <section className="space-y-2">
          <h2 className="text-xl font-semibold">
            Strategy code{s.strategy.version ? ` (version ${s.strategy.version})` : ""}
          </h2>
          <pre
            className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs text-slate-100"
            data-testid="report-code"
            tabIndex={0}
          >
            {s.code}
          </pre>
        </section>
      )}
    </main>
  );
}
