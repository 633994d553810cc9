/** How trade returns are spread: a histogram of per-trade return (%), losses red and gains green. */
import { histogram } from "@/lib/metrics/calendar";

export function TradeDistribution({ returnsPct }: { returnsPct: number[] }) {
  const bins = histogram(returnsPct, 24);
  if (bins.length === 0) return null;
  const width = 900;
  const height = 200;
  const pad = { l: 56, r: 8, t: 14, b: 40 };
  const maxCount = Math.max(...bins.map((b) => b.count));
  const bw = (width - pad.l - pad.r) / bins.length;
  const y = (c: number) => pad.t + (1 - c / maxCount) * (height - pad.t - pad.b);
  const labelEvery = Math.max(1, Math.ceil(bins.length / 8));
  return (
    <figure className="w-full" data-testid="trade-distribution">
      <h3 className="mb-1 text-sm font-semibold">
        Trade return distribution ({returnsPct.length} trades, % per trade)
      </h3>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-auto w-full"
        role="img"
        aria-label={`Histogram of ${returnsPct.length} trade returns`}
      >
        {[0, Math.round(maxCount / 2), maxCount].map((c) => (
          <g key={c}>
            <line x1={pad.l} x2={width - pad.r} y1={y(c)} y2={y(c)} className="stroke-slate-200" />
            <text
              x={pad.l - 6}
              y={y(c)}
              dominantBaseline="middle"
              textAnchor="end"
              fontSize="14"
              className="fill-slate-600 text-[26px] sm:text-[14px]"
            >
              {c}
            </text>
          </g>
        ))}
        {bins.map((b, i) => (
          <g key={i}>
            <rect
              x={pad.l + i * bw + 1}
              y={y(b.count)}
              width={Math.max(1, bw - 2)}
              height={height - pad.b - y(b.count)}
              fill={b.to <= 0 ? "#dc2626" : b.from >= 0 ? "#16a34a" : "#94a3b8"}
            >
              <title>{`${b.from}% to ${b.to}%: ${b.count} trade${b.count === 1 ? "" : "s"}`}</title>
            </rect>
            {i % labelEvery === 0 ? (
              <text
                x={pad.l + i * bw}
                y={height - 8}
                fontSize="14"
                textAnchor="middle"
                className="fill-slate-600 text-[26px] sm:text-[14px]"
              >{`${b.from}%`}</text>
            ) : null}
          </g>
        ))}
      </svg>
    </figure>
  );
}
