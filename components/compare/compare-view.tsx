/**
 * Two backtests side by side: the shared metrics with the difference (B − A), and each run's
 * equity against buy & hold on the same scale. Server-rendered (no chart JS).
 */
import Link from "next/link";
import { formatMetric, formatMoneyShort } from "@/components/metrics/format";
import { METRICS, withDerived } from "@/components/metrics/metrics-grid";
import { SvgLineChart } from "@/components/reports/svg-line-chart";

export interface CompareSide {
  id: string;
  label: string;
  href: string;
  metrics: Record<string, number | null>;
  timestamps: number[];
  equity: number[];
  benchmark: number[];
}

function diff(
  a: number | null | undefined,
  b: number | null | undefined,
  unit: (typeof METRICS)[number]["unit"],
): string {
  if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b)) return "—";
  const d = b - a;
  const text = formatMetric(Math.abs(d), unit);
  return d === 0 ? text : `${d > 0 ? "+" : "−"}${text}`;
}

export function CompareView({ a, b }: { a: CompareSide; b: CompareSide }) {
  const ma = withDerived(a.metrics);
  const mb = withDerived(b.metrics);
  return (
    <div className="flex flex-col gap-6" data-testid="compare-view">
      <div
        className="overflow-x-auto rounded-lg border border-slate-200 bg-white"
        tabIndex={0}
        role="region"
        aria-label="Metrics of both runs"
      >
        <table className="w-full text-sm" data-testid="compare-metrics">
          <caption className="sr-only">Metrics of the two runs and their difference</caption>
          <thead className="bg-slate-100 text-left">
            <tr>
              <th scope="col" className="px-3 py-2">
                Metric
              </th>
              <th scope="col" className="px-3 py-2">
                A ·{" "}
                <Link href={a.href} className="underline">
                  {a.label}
                </Link>
              </th>
              <th scope="col" className="px-3 py-2">
                B ·{" "}
                <Link href={b.href} className="underline">
                  {b.label}
                </Link>
              </th>
              <th scope="col" className="px-3 py-2">
                B − A
              </th>
            </tr>
          </thead>
          <tbody>
            {METRICS.map((m) => (
              <tr key={m.key} className="border-t border-slate-100" data-metric={m.key}>
                <th scope="row" className="px-3 py-1.5 text-left font-normal text-slate-700">
                  {m.label}
                </th>
                <td className="px-3 py-1.5 tabular-nums" data-side="a">
                  {formatMetric(ma[m.key], m.unit)}
                </td>
                <td className="px-3 py-1.5 tabular-nums" data-side="b">
                  {formatMetric(mb[m.key], m.unit)}
                </td>
                <td className="px-3 py-1.5 tabular-nums text-slate-600">{diff(ma[m.key], mb[m.key], m.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {[a, b].map((side, i) => (
          <section
            key={side.id}
            className="rounded-lg border border-slate-200 bg-white p-4"
            data-testid={`compare-equity-${i === 0 ? "a" : "b"}`}
          >
            <SvgLineChart
              title={`${i === 0 ? "A" : "B"} · equity (US$)`}
              timestamps={side.timestamps}
              format={formatMoneyShort}
              series={[
                { label: "Strategy", values: side.equity, color: "#2563eb" },
                { label: "Buy & hold", values: side.benchmark, color: "#94a3b8" },
              ]}
            />
          </section>
        ))}
      </div>
    </div>
  );
}
