/**
 * Per-symbol data quality report: gaps in the calendar, stale prices, return outliers and
 * suspected unadjusted splits. Findings are hints shown next to the data, not errors.
 */
import type { BarSeries } from "./bars";

/** Options of {@link dataQualityReport}. */
export interface QualityOptions {
  /** Expected bar spacing in ms; default: the median spacing of the series. */
  intervalMs?: number;
  /** Daily data skips weekends (default: true when the interval is one day). */
  businessDays?: boolean;
  /** Repeated identical closes that count as stale (default 5). */
  staleRun?: number;
  /** |return| z-score above which a bar is an outlier (default 6). */
  outlierZ?: number;
}

/** A stretch of missing bars between two present ones. */
export interface QualityGap {
  afterBar: number;
  fromMs: number;
  toMs: number;
  missingBars: number;
}
/** A run of identical closes. */
export interface QualityStaleRun {
  fromBar: number;
  toBar: number;
  close: number;
}
/** A bar whose close-to-close return is extreme for the series. */
export interface QualityOutlier {
  bar: number;
  returnPct: number;
  z: number;
}
/** A jump by a split-like ratio that does not revert on the next bars. */
export interface QualitySplit {
  bar: number;
  ratio: number;
  label: string;
}

/** The report; `ok` is true when no finding was made. */
export interface QualityReport {
  symbol: string;
  bars: number;
  intervalMs: number;
  gaps: QualityGap[];
  staleRuns: QualityStaleRun[];
  outliers: QualityOutlier[];
  suspectedSplits: QualitySplit[];
  ok: boolean;
}

const DAY_MS = 86_400_000;
const SPLIT_RATIOS: [number, string][] = [
  [2, "2:1"],
  [3, "3:1"],
  [4, "4:1"],
  [5, "5:1"],
  [10, "10:1"],
  [1.5, "3:2"],
  [1 / 2, "1:2 reverse"],
  [1 / 3, "1:3 reverse"],
  [1 / 4, "1:4 reverse"],
  [1 / 5, "1:5 reverse"],
  [1 / 10, "1:10 reverse"],
  [2 / 3, "2:3 reverse"],
];

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function countBusinessDays(fromMs: number, toMs: number): number {
  let count = 0;
  for (let t = fromMs + DAY_MS; t < toMs; t += DAY_MS) {
    const d = new Date(t).getUTCDay();
    if (d !== 0 && d !== 6) count++;
  }
  return count;
}

/** Build the {@link QualityReport} of one validated series. */
export function dataQualityReport(series: BarSeries, opts: QualityOptions = {}): QualityReport {
  const { timestampsMs: t, close: c } = series;
  const n = c.length;
  const steps: number[] = [];
  for (let i = 1; i < n; i++) steps.push(t[i] - t[i - 1]);
  const interval = opts.intervalMs ?? (median(steps) || DAY_MS);
  const daily = interval >= DAY_MS && interval <= 3 * DAY_MS;
  const business = opts.businessDays ?? daily;
  const gaps: QualityGap[] = [];
  for (let i = 1; i < n; i++) {
    const missing =
      business && daily ? countBusinessDays(t[i - 1], t[i]) : Math.round((t[i] - t[i - 1]) / interval) - 1;
    // A day or two off is a holiday; flag longer holes only for daily data.
    if (missing > (daily ? 2 : 0)) gaps.push({ afterBar: i - 1, fromMs: t[i - 1], toMs: t[i], missingBars: missing });
  }
  const staleRun = opts.staleRun ?? 5;
  const staleRuns: QualityStaleRun[] = [];
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && c[j + 1] === c[i]) j++;
    if (j - i + 1 >= staleRun) staleRuns.push({ fromBar: i, toBar: j, close: c[i] });
    i = j + 1;
  }
  const rets: number[] = [];
  for (let i = 1; i < n; i++) rets.push(Math.log(c[i] / c[i - 1]));
  // Robust scale: 1.4826 × median absolute deviation (≈ the standard deviation for normal returns).
  const center = median(rets);
  const robustSd = 1.4826 * (median(rets.map((r) => Math.abs(r - center))) || 1e-12);
  const outlierZ = opts.outlierZ ?? 6;
  const outliers: QualityOutlier[] = [];
  const suspectedSplits: QualitySplit[] = [];
  for (let i = 1; i < n; i++) {
    const r = rets[i - 1];
    const z = Math.abs(r - center) / robustSd;
    const ratio = c[i - 1] / c[i];
    const split = SPLIT_RATIOS.find(([k]) => Math.abs(ratio / k - 1) < 0.04);
    const recovered = i + 5 < n && Math.abs(Math.log(c[Math.min(n - 1, i + 5)] / c[i - 1])) < Math.abs(r) / 3;
    if (split && Math.abs(r) > 0.25 && !recovered) suspectedSplits.push({ bar: i, ratio, label: split[1] });
    else if (z > outlierZ) outliers.push({ bar: i, returnPct: (Math.exp(r) - 1) * 100, z });
  }
  const ok = gaps.length + staleRuns.length + outliers.length + suspectedSplits.length === 0;
  return { symbol: series.symbol, bars: n, intervalMs: interval, gaps, staleRuns, outliers, suspectedSplits, ok };
}
