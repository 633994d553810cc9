/**
 * A dependency-free SVG line chart rendered on the server (shared report pages load no chart
 * JS): a title, round value ticks in the given unit, dates on the x axis, a legend.
 */
import { dateTicks, niceTicks } from "@/components/charts/axis-ticks";

interface Series {
  values: number[];
  color: string;
  label: string;
  /** Filled area down to zero (drawdown). */
  area?: boolean;
}

export interface SvgLineChartProps {
  title: string;
  series: Series[];
  timestamps: number[];
  height?: number;
  testId?: string;
  format: (v: number) => string;
}

export function SvgLineChart({ title, series, timestamps, height = 240, testId, format }: SvgLineChartProps) {
  const width = 900;
  // Axis labels are larger in viewBox units on small screens, so they stay readable when the chart is scaled down.
  const pad = { l: 100, r: 16, t: 14, b: 40 };
  const all = series.flatMap((s) => s.values.filter(Number.isFinite));
  if (all.length === 0) return <p className="text-sm text-slate-600">No data.</p>;
  const ticks = niceTicks(
    Math.min(...all, ...(series.some((s) => s.area) ? [0] : [])),
    Math.max(...all, ...(series.some((s) => s.area) ? [0] : [])),
    5,
  );
  const min = ticks[0];
  const max = ticks[ticks.length - 1];
  const n = Math.max(...series.map((s) => s.values.length));
  const x = (i: number) => pad.l + (i / Math.max(1, n - 1)) * (width - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - min) / (max - min || 1)) * (height - pad.t - pad.b);
  const path = (values: number[]) =>
    values
      .map((v, i) =>
        Number.isFinite(v)
          ? `${i === 0 || !Number.isFinite(values[i - 1]) ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`
          : "",
      )
      .join("");
  const dates = dateTicks(timestamps.slice(0, n), 6);
  const titleId = testId ? `${testId}-title` : undefined;
  return (
    <figure data-testid={testId} className="w-full" aria-labelledby={titleId}>
      <h3 id={titleId} className="mb-1 text-sm font-semibold">
        {title}
      </h3>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-auto w-full"
        role="img"
        aria-label={`${title}: ${series.map((s) => s.label).join(", ")}`}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={width - pad.r} y1={y(t)} y2={y(t)} className="stroke-slate-200" />
            <text
              x={pad.l - 8}
              y={y(t)}
              dominantBaseline="middle"
              textAnchor="end"
              fontSize="14"
              className="fill-slate-600 text-[26px] sm:text-[14px]"
            >
              {format(t)}
            </text>
          </g>
        ))}
        {dates.map((d) => (
          <text
            key={d.index}
            x={x(d.index)}
            y={height - 8}
            textAnchor={d.index === 0 ? "start" : d.index === n - 1 ? "end" : "middle"}
            fontSize="14"
            className="fill-slate-600 text-[26px] sm:text-[14px]"
            data-axis="date"
          >
            {d.label}
          </text>
        ))}
        {series.map((s) =>
          s.area ? (
            <path
              key={`${s.label}-area`}
              d={`${path(s.values)}L${x(s.values.length - 1).toFixed(1)},${y(0).toFixed(1)}L${x(0).toFixed(1)},${y(0).toFixed(1)}Z`}
              fill={s.color}
              fillOpacity="0.15"
              stroke="none"
            />
          ) : null,
        )}
        {series.map((s) => (
          <path key={s.label} d={path(s.values)} fill="none" stroke={s.color} strokeWidth="1.8" />
        ))}
      </svg>
      <figcaption className="mt-1 flex gap-4 text-xs text-slate-600">
        {series.map((s) => (
          <span key={s.label} className="flex items-center gap-1">
            <span className="inline-block h-2 w-4 rounded" style={{ background: s.color }} /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
