"use client";
/**
 * Price of one traded symbol with the strategy's entries and exits marked (TradingView's
 * open-source lightweight-charts: candlesticks, markers, crosshair, zoom and pan, dates on the
 * time axis). The symbol is chosen from the backtest's trades; bars come from `data.bars`.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useDarkMode } from "@/components/theme/use-dark-mode";
import { useWorkspace } from "@/components/workspace/workspace-context";

export interface ChartTrade {
  symbol: string;
  side: string;
  entry_time: string;
  exit_time: string;
  entry_price: number;
  exit_price: number;
  return_pct: number;
}

type Marker = {
  time: number;
  position: "aboveBar" | "belowBar";
  color: string;
  shape: "arrowUp" | "arrowDown";
  text: string;
};

/** Entry and exit markers for `symbol`, sorted by time as the chart requires. */
export function tradeMarkers(trades: readonly ChartTrade[], symbol: string): Marker[] {
  const out: Marker[] = [];
  for (const t of trades) {
    if (t.symbol !== symbol) continue;
    const long = t.side !== "short";
    out.push({
      time: Math.floor(Date.parse(t.entry_time) / 1000),
      position: long ? "belowBar" : "aboveBar",
      color: "#2563eb",
      shape: long ? "arrowUp" : "arrowDown",
      text: long ? "Buy" : "Short",
    });
    if (t.exit_time)
      out.push({
        time: Math.floor(Date.parse(t.exit_time) / 1000),
        position: long ? "aboveBar" : "belowBar",
        color: t.return_pct >= 0 ? "#16a34a" : "#dc2626",
        shape: long ? "arrowDown" : "arrowUp",
        text: `Exit ${t.return_pct >= 0 ? "+" : ""}${t.return_pct.toFixed(1)}%`,
      });
  }
  return out.filter((m) => Number.isFinite(m.time)).sort((a, b) => a.time - b.time);
}

export function PriceChart({ trades, dateRange }: { trades: readonly ChartTrade[]; dateRange: [string, string] }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const dark = useDarkMode();
  const selectId = useId();
  const symbols = useMemo(() => {
    const count = new Map<string, number>();
    for (const t of trades) count.set(t.symbol, (count.get(t.symbol) ?? 0) + 1);
    return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s);
  }, [trades]);
  const [symbol, setSymbol] = useState(symbols[0] ?? "");
  const bars = useQuery({
    ...trpc.data.bars.queryOptions({
      workspaceId: ws.id,
      symbol,
      fromMs: Date.parse(dateRange[0]),
      toMs: Date.parse(dateRange[1]) + 86_399_999,
    }),
    enabled: symbol !== "",
  });
  const box = useRef<HTMLDivElement | null>(null);
  const markers = useMemo(() => tradeMarkers(trades, symbol), [trades, symbol]);

  useEffect(() => {
    const el = box.current;
    const data = bars.data;
    if (!el || !data || data.time.length === 0) return;
    let disposed = false;
    let cleanup: () => void = () => {};
    void import("lightweight-charts").then(({ createChart, CandlestickSeries, createSeriesMarkers, ColorType }) => {
      if (disposed) return;
      const text = dark ? "#cbd5e1" : "#334155";
      const grid = dark ? "#1e293b" : "#e2e8f0";
      const chart = createChart(el, {
        autoSize: true,
        layout: {
          background: { type: ColorType.Solid, color: "transparent" },
          textColor: text,
          attributionLogo: false,
        },
        grid: { vertLines: { color: grid }, horzLines: { color: grid } },
        rightPriceScale: { borderColor: grid },
        timeScale: { borderColor: grid },
        localization: { priceFormatter: (p: number) => `$${p.toFixed(2)}` },
      });
      const series = chart.addSeries(CandlestickSeries, {
        upColor: "#16a34a",
        downColor: "#dc2626",
        borderVisible: false,
        wickUpColor: "#16a34a",
        wickDownColor: "#dc2626",
      });
      series.setData(
        data.time.map((time, i) => ({
          time: time as never,
          open: data.open[i],
          high: data.high[i],
          low: data.low[i],
          close: data.close[i],
        })),
      );
      createSeriesMarkers(
        series,
        markers.map((m) => ({ ...m, time: m.time as never })),
      );
      chart.timeScale().fitContent();
      el.dataset.ready = "true";
      cleanup = () => chart.remove();
    });
    return () => {
      disposed = true;
      el.dataset.ready = "false";
      cleanup();
    };
  }, [bars.data, markers, dark]);

  if (symbols.length === 0) return null;
  return (
    <figure className="w-full" data-testid="price-chart" data-symbol={symbol} data-markers={markers.length}>
      <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">Price (US$) with entries and exits</h3>
        <label htmlFor={selectId} className="flex items-center gap-2 text-sm">
          Symbol
          <select
            id={selectId}
            value={symbol}
            onChange={(e) => setSymbol(e.target.value)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
            data-testid="price-chart-symbol"
          >
            {symbols.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {bars.error ? <p className="text-sm text-red-700">{bars.error.message}</p> : null}
      <div
        ref={box}
        className="h-72 w-full"
        data-ready="false"
        aria-label={`Candlestick chart of ${symbol} with ${markers.length} trade markers`}
        role="img"
      />
    </figure>
  );
}
