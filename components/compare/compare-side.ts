/**
 * A finished backtest's result as one side of a comparison: its metrics and its equity against
 * buy & hold, thinned to at most `maxPoints` points (the last point is always kept).
 */
import type { CompareSide } from "./compare-view";

export function thinned(values: unknown, step: number): number[] {
  const arr = Array.isArray(values) ? (values as number[]) : [];
  const out = arr.filter((_, i) => i % step === 0);
  if (arr.length > 0 && (arr.length - 1) % step !== 0) out.push(arr[arr.length - 1]);
  return out;
}

/** Null when the result is not a finished backtest's (no engine series). */
export function compareSideOf(
  result: unknown,
  side: { id: string; label: string; href: string },
  maxPoints = 600,
): CompareSide | null {
  const r = result as { performance_metrics?: Record<string, number | null>; engine?: Record<string, unknown> } | null;
  if (!r?.engine) return null;
  const ts = Array.isArray(r.engine.timestamps) ? (r.engine.timestamps as number[]) : [];
  const step = Math.max(1, Math.ceil(ts.length / maxPoints));
  return {
    ...side,
    metrics: r.performance_metrics ?? {},
    timestamps: thinned(ts, step),
    equity: thinned(r.engine.equity, step),
    benchmark: thinned(r.engine.benchmark, step),
  };
}
