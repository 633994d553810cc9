/** A dependency-free SVG line chart rendered on the server (shared report pages load no chart JS). */
interface Series {
  values: number[];
  color: string;
  label: string;
}

export function SvgLineChart({ series, height = 220, testId, format }: { series: Series[]; height?: number; testId?: string; format: (v: number) => string }) {
  const width = 900;
  const pad = { l: 64, r: 12, t: 12, b: 20 };
  const all = series.flatMap((s) => s.values.filter(Number.isFinite));
  if (all.length === 0) return <p className="text-sm text-slate-500">No data.</p>;
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const n = Math.max(...series.map((s) => s.values.length));
  const x = (i: number) => pad.l + (i / Math.max(1, n - 1)) * (width - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - min) / (max - min)) * (height - pad.t - pad.b);
  const path = (values: number[]) =>
    values
      .map((v, i) => (Number.isFinite(v) ? `${i === 0 || !Number.isFinite(values[i - 1]) ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}` : ""))
      .join("");
  const ticks = [min, (min + max) / 2, max];
  return (
    <figure data-testid={testId} className="w-full">
      <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="img" aria-label={series.map((s) => s.label).join(", ")}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={width - pad.r} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={pad.l - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#64748b">
              {format(t)}
            </text>
          </g>
        ))}
        {series.map((s) => (
          <path key={s.label} d={path(s.values)} fill="none" stroke={s.color} strokeWidth="1.5" />
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
