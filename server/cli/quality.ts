/**
 * Data quality next to a result: for real (non-synthetic) data, the per-symbol report of
 * lib/data/quality.ts in a compact JSON form. Findings are heuristics ("suspected"), so they are
 * reported beside the result, not as warnings about it.
 */
import type { BarSeries } from "@/lib/data/bars";
import { dataQualityReport } from "@/lib/data/quality";

export interface DataQualitySummary {
  symbol: string;
  ok: boolean;
  gaps: number;
  stale_runs: number;
  outliers: number;
  suspected_splits: { date: string; ratio: number; label: string }[];
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One compact summary per symbol, and a neutral one-line description of all of them. */
export function summarizeDataQuality(universe: readonly BarSeries[]): {
  summaries: DataQualitySummary[];
  line: string;
} {
  const summaries = universe.map((series) => {
    const q = dataQualityReport(series);
    return {
      symbol: q.symbol,
      ok: q.ok,
      gaps: q.gaps.length,
      stale_runs: q.staleRuns.length,
      outliers: q.outliers.length,
      suspected_splits: q.suspectedSplits.map((s) => ({
        date: day(series.timestampsMs[s.bar]),
        ratio: Math.round(s.ratio * 1000) / 1000,
        label: s.label,
      })),
    };
  });
  const total = (k: "gaps" | "stale_runs" | "outliers") => summaries.reduce((n, s) => n + s[k], 0);
  const splits = summaries.reduce((n, s) => n + s.suspected_splits.length, 0);
  const flagged = summaries.filter((s) => !s.ok).length;
  const line =
    flagged === 0
      ? "data quality: no gaps, stale prices, outliers or suspected splits found"
      : `data quality: ${flagged} of ${summaries.length} symbol(s) flagged — ${total("gaps")} gap(s), ${total("stale_runs")} stale run(s), ${total("outliers")} return outlier(s), ${splits} suspected split(s) (details in --json data_quality)`;
  return { summaries, line };
}
