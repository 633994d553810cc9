"use client";
/** Strategy equity against the buy-and-hold benchmark (recharts; arrays computed on the server). */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { toChartRows } from "./chart-rows";

export function EquityChart({ timestamps, equity, benchmark }: { timestamps: number[]; equity: number[]; benchmark: number[] }) {
  const rows = toChartRows(timestamps, { equity, benchmark });
  return (
    <div data-testid="equity-chart" className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="date" minTickGap={48} tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} width={70} domain={["auto", "auto"]} tickFormatter={(v: number) => v.toLocaleString(undefined, { maximumFractionDigits: 0 })} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toLocaleString(undefined, { maximumFractionDigits: 2 }) : String(v))} />
          <Legend />
          <Line type="monotone" dataKey="equity" name="Strategy" stroke="#0f172a" dot={false} isAnimationActive={false} strokeWidth={1.5} />
          <Line type="monotone" dataKey="benchmark" name="Buy & hold" stroke="#94a3b8" dot={false} isAnimationActive={false} strokeWidth={1.2} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
