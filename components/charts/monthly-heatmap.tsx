/** Returns by month as a year × month grid, green for gains and red for losses (server- or client-rendered). */
import { formatMetric } from "@/components/metrics/format";
import { compound, monthlyReturns } from "@/lib/metrics/calendar";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function cellStyle(pct: number, scale: number): React.CSSProperties {
  const a = Math.min(1, Math.abs(pct) / scale) * 0.55 + 0.08;
  return { background: pct >= 0 ? `rgba(22, 163, 74, ${a})` : `rgba(220, 38, 38, ${a})` };
}

export function MonthlyHeatmap({ timestamps, equity }: { timestamps: number[]; equity: number[] }) {
  const months = monthlyReturns(timestamps, equity);
  if (months.length === 0) return null;
  const years = [...new Set(months.map((m) => m.year))].sort((a, b) => a - b);
  const byKey = new Map(months.map((m) => [`${m.year}-${m.month}`, m.returnPct]));
  const scale = Math.max(1, ...months.map((m) => Math.abs(m.returnPct)));
  return (
    <figure className="w-full" data-testid="monthly-heatmap">
      <h3 className="mb-1 text-sm font-semibold">Monthly returns (%)</h3>
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Monthly returns by year">
        <table className="w-full min-w-[640px] border-separate border-spacing-0.5 text-xs tabular-nums">
          <thead>
            <tr>
              <th scope="col" className="px-1 text-left font-medium text-slate-600">
                Year
              </th>
              {MONTHS.map((m) => (
                <th key={m} scope="col" className="px-1 font-medium text-slate-600">
                  {m}
                </th>
              ))}
              <th scope="col" className="px-1 font-semibold text-slate-700">
                Year
              </th>
            </tr>
          </thead>
          <tbody>
            {years.map((y) => {
              const row = months.filter((m) => m.year === y).map((m) => m.returnPct);
              const total = compound(row);
              return (
                <tr key={y}>
                  <th scope="row" className="px-1 text-left font-medium text-slate-700">
                    {y}
                  </th>
                  {MONTHS.map((_, i) => {
                    const v = byKey.get(`${y}-${i}`);
                    return (
                      <td
                        key={i}
                        className="rounded px-1 py-1 text-center text-slate-900"
                        style={v === undefined ? undefined : cellStyle(v, scale)}
                        title={v === undefined ? undefined : `${MONTHS[i]} ${y}: ${formatMetric(v, "pct")}`}
                      >
                        {v === undefined ? "" : v.toFixed(1)}
                      </td>
                    );
                  })}
                  <td
                    className="rounded px-1 py-1 text-center font-semibold text-slate-900"
                    style={cellStyle(total, scale * 3)}
                  >
                    {total.toFixed(1)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
