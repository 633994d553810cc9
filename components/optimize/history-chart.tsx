"use client";
/**
 * Optimization history: each trial's objective as a dot and the best-so-far line (a step), the
 * chart both the finished study and the live panel of a running one draw.
 */
import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_TICK } from "@/components/charts/equity-chart";

export interface HistoryPoint {
  number: number;
  value: number | null;
  best: number | null;
}

export function HistoryChart({ points, heightClass }: { points: readonly HistoryPoint[]; heightClass: string }) {
  return (
    <div className={`${heightClass} w-full`}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points as HistoryPoint[]} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" />
          <XAxis dataKey="number" type="number" tick={AXIS_TICK} />
          <YAxis tick={AXIS_TICK} width={56} domain={["auto", "auto"]} />
          <Tooltip />
          <Scatter dataKey="value" name="trial" fill="#94a3b8" isAnimationActive={false} />
          <Line
            dataKey="best"
            name="best so far"
            stroke="#dc2626"
            dot={false}
            type="stepAfter"
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
