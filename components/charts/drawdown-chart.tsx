"use client";
/** Drawdown below the running equity peak, in percent (0 at a new high); shares the equity chart's crosshair. */
import { useId } from "react";
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMetric } from "@/components/metrics/format";
import { niceTicks } from "./axis-ticks";
import { toChartRows } from "./chart-rows";
import { AXIS_TICK } from "./equity-chart";

export function DrawdownChart({
  timestamps,
  drawdown,
  syncId = "backtest",
}: {
  timestamps: number[];
  drawdown: number[];
  syncId?: string;
}) {
  const pct = drawdown.map((d) => d * 100);
  const titleId = useId();
  const rows = toChartRows(timestamps, { drawdown: pct });
  const finite = pct.filter(Number.isFinite);
  const ticks = finite.length ? niceTicks(Math.min(0, ...finite), 0, 4) : undefined;
  return (
    <figure data-testid="drawdown-chart" className="w-full" aria-labelledby={titleId}>
      <h3 id={titleId} className="mb-1 text-sm font-semibold">
        Drawdown (% below the running peak)
      </h3>
      <div className="h-36 w-full sm:h-40">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={rows} syncId={syncId} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" />
            <XAxis dataKey="date" minTickGap={56} tick={AXIS_TICK} tickFormatter={(d: string) => d.slice(0, 7)} />
            <YAxis
              tick={AXIS_TICK}
              width={56}
              ticks={ticks}
              domain={ticks ? [ticks[0], 0] : ["auto", 0]}
              tickFormatter={(v: number) => `${Number(v.toFixed(2))} %`}
            />
            <Tooltip
              formatter={(v) => (typeof v === "number" ? formatMetric(v, "pct") : String(v))}
              contentStyle={{ background: "var(--color-white)", borderColor: "var(--color-slate-200)" }}
            />
            <Area
              type="monotone"
              dataKey="drawdown"
              name="Drawdown"
              stroke="#dc2626"
              fill="#dc2626"
              fillOpacity={0.18}
              isAnimationActive={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
