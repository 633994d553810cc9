"use client";
/**
 * Strategy equity against the buy-and-hold benchmark, with the drawdown chart placed under it
 * by the caller (recharts; arrays computed on the server). Round $ ticks, dates on the x axis.
 */
import { useId } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMetric, formatMoneyShort } from "@/components/metrics/format";
import { niceTicks } from "./axis-ticks";
import { toChartRows } from "./chart-rows";

export const AXIS_TICK = { fontSize: 12, fill: "var(--color-slate-600)" };

export function EquityChart({
  timestamps,
  equity,
  benchmark,
  syncId = "backtest",
}: {
  timestamps: number[];
  equity: number[];
  benchmark: number[];
  syncId?: string;
}) {
  const titleId = useId();
  const rows = toChartRows(timestamps, { equity, benchmark });
  const values = [...equity, ...benchmark].filter(Number.isFinite);
  const ticks = values.length ? niceTicks(Math.min(...values), Math.max(...values), 5) : undefined;
  return (
    <figure data-testid="equity-chart" className="w-full" aria-labelledby={titleId}>
      <h3 id={titleId} className="mb-1 text-sm font-semibold">
        Equity (US$) vs buy &amp; hold
      </h3>
      <div className="h-64 w-full sm:h-72">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} syncId={syncId} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" />
            <XAxis dataKey="date" minTickGap={56} tick={AXIS_TICK} tickFormatter={(d: string) => d.slice(0, 7)} />
            <YAxis
              tick={AXIS_TICK}
              width={56}
              ticks={ticks}
              domain={ticks ? [ticks[0], ticks[ticks.length - 1]] : ["auto", "auto"]}
              tickFormatter={formatMoneyShort}
            />
            <Tooltip
              formatter={(v) => (typeof v === "number" ? formatMetric(v, "money") : String(v))}
              contentStyle={{ background: "var(--color-white)", borderColor: "var(--color-slate-200)" }}
            />
            <Legend />
            <Line
              type="monotone"
              dataKey="equity"
              name="Strategy"
              stroke="#2563eb"
              dot={false}
              isAnimationActive={false}
              strokeWidth={1.8}
            />
            <Line
              type="monotone"
              dataKey="benchmark"
              name="Buy & hold"
              stroke="var(--color-slate-400)"
              dot={false}
              isAnimationActive={false}
              strokeWidth={1.2}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
