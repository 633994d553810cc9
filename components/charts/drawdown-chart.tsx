"use client";
/** Drawdown below the running equity peak, in percent (0 at a new high). */
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { toChartRows } from "./chart-rows";

export function DrawdownChart({ timestamps, drawdown }: { timestamps: number[]; drawdown: number[] }) {
  const rows = toChartRows(timestamps, { drawdown: drawdown.map((d) => d * 100) });
  return (
    <div data-testid="drawdown-chart" className="h-40 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="date" minTickGap={48} tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} width={70} tickFormatter={(v: number) => `${v.toFixed(0)}%`} />
          <Tooltip formatter={(v) => (typeof v === "number" ? `${v.toFixed(2)}%` : String(v))} />
          <Area type="monotone" dataKey="drawdown" name="Drawdown" stroke="#dc2626" fill="#fecaca" isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
