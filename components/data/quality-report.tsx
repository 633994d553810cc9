"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { useWorkspace } from "@/components/workspace/workspace-context";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The data quality report of one symbol as the workspace would use it (gaps, stale prices,
 * outliers, suspected unadjusted splits). Embed it wherever the symbol's data is used;
 * `fromMs`/`toMs` limit it to the window in use.
 */
export function DataQualityReport({
  symbol,
  fromMs,
  toMs,
  compact = false,
}: {
  symbol: string;
  fromMs?: number;
  toMs?: number;
  compact?: boolean;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const q = useQuery(trpc.data.quality.queryOptions({ workspaceId: ws.id, symbol, fromMs, toMs }));
  if (q.isPending) return <p className="text-sm text-slate-500">Checking {symbol}…</p>;
  if (q.error) return <FormError message={errorMessage(q.error)} testId="quality-error" />;
  const r = q.data;
  const counts = [
    ["gap", r.gaps.length],
    ["stale run", r.staleRuns.length],
    ["outlier", r.outliers.length],
    ["suspected split", r.suspectedSplits.length],
  ] as const;
  const summary = (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="quality-summary" data-ok={r.ok}>
      {r.synthetic ? <Badge tone="blue">synthetic</Badge> : null}
      {r.ok ? (
        <Badge tone="green">no findings</Badge>
      ) : (
        counts
          .filter(([, n]) => n > 0)
          .map(([label, n]) => (
            <Badge key={label} tone="amber">
              {n} {label}
              {n === 1 ? "" : "s"}
            </Badge>
          ))
      )}
    </span>
  );
  if (compact) return summary;
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="quality-report">
      <div className="flex items-center gap-3">
        <span className="font-semibold">{r.symbol}</span>
        <span className="text-slate-500">{r.bars} bars</span>
        {summary}
      </div>
      {r.gaps.length > 0 ? (
        <Finding title="Gaps (missing bars)">
          {r.gaps.slice(0, 20).map((g) => (
            <li key={g.afterBar}>
              {day(g.fromMs)} → {day(g.toMs)}: {g.missingBars} bar(s) missing
            </li>
          ))}
        </Finding>
      ) : null}
      {r.staleRuns.length > 0 ? (
        <Finding title="Stale prices (repeated closes)">
          {r.staleRuns.slice(0, 20).map((s) => (
            <li key={s.fromBar}>
              bars {s.fromBar}–{s.toBar}: close {s.close} repeated {s.toBar - s.fromBar + 1} times
            </li>
          ))}
        </Finding>
      ) : null}
      {r.outliers.length > 0 ? (
        <Finding title="Outliers (extreme moves)">
          {r.outliers.slice(0, 20).map((o) => (
            <li key={o.bar}>
              bar {o.bar}: {o.returnPct.toFixed(1)}% ({o.z.toFixed(1)} robust σ)
            </li>
          ))}
        </Finding>
      ) : null}
      {r.suspectedSplits.length > 0 ? (
        <Finding title="Suspected unadjusted splits">
          {r.suspectedSplits.map((s) => (
            <li key={s.bar}>
              bar {s.bar}: price ratio {s.ratio.toFixed(3)} looks like a {s.label} split — use split-adjusted data
            </li>
          ))}
        </Finding>
      ) : null}
    </div>
  );
}

function Finding({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <p className="font-medium text-slate-700">{title}</p>
      <ul className="ml-5 list-disc text-slate-600">{children}</ul>
    </div>
  );
}
