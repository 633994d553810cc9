/**
 * Acceptance thresholds of the improvement loop and the constraints they define. Every
 * comparison is inclusive: a total return of exactly 0.5 meets `minReturn = 0.5`, 0.49 does not.
 */
import type { Report } from "@/lib/engine/report";

/** What a strategy must reach on the validation period to count as good enough. */
export interface Thresholds {
  /** Total return as a fraction (0.5 = +50 %) over the validation period. */
  minReturn: number;
  /** Annualized Sortino ratio. */
  minSortino: number;
  /** Closed trades on the validation period (0 = no constraint). */
  minTrades: number;
  /** Share of winning trades as a fraction in [0, 1] (0 = no constraint). */
  minWinRate: number;
}

/** The seed's defaults: total return ≥ 0.5 and Sortino ≥ 2; trades and win rate unconstrained. */
export const DEFAULT_THRESHOLDS: Thresholds = { minReturn: 0.5, minSortino: 2, minTrades: 0, minWinRate: 0 };

/** One unmet constraint: its value (null when undefined, e.g. no trades → no win rate) and threshold. */
export interface FailedConstraint {
  name: "total_return" | "sortino" | "num_trades" | "win_rate";
  value: number | null;
  threshold: number;
  /** threshold − value (how far it is short); null when the value is undefined. */
  gap: number | null;
}

/** Float round-off allowance so a value printed as the threshold is not failed by its last bit. */
const EPS = 1e-12;

/** The constraints a metrics report fails, in a fixed order (return, Sortino, trades, win rate). */
export function failedConstraints(m: Partial<Report> | null, t: Thresholds): FailedConstraint[] {
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? null : x / 100);
  const rows: Array<[FailedConstraint["name"], number | null, number, boolean]> = [
    ["total_return", pct(m?.total_return_pct), t.minReturn, true],
    ["sortino", m?.sortino ?? null, t.minSortino, true],
    ["num_trades", m?.num_trades ?? 0, t.minTrades, t.minTrades > 0],
    ["win_rate", pct(m?.win_rate_pct), t.minWinRate, t.minWinRate > 0],
  ];
  const out: FailedConstraint[] = [];
  for (const [name, value, threshold, active] of rows) {
    if (!active) continue;
    if (value !== null && Number.isFinite(value) && value >= threshold - EPS) continue;
    out.push({ name, value, threshold, gap: value === null || !Number.isFinite(value) ? null : threshold - value });
  }
  return out;
}

/**
 * Relative improvement of the objective from `ref` to `value`: (value − ref) / max(|ref|, 1), so
 * below |ref| = 1 it is the absolute change. Undefined values: anything finite improves on null.
 */
export function relativeImprovement(value: number | null, ref: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (ref === null || !Number.isFinite(ref)) return Infinity;
  return (value - ref) / Math.max(Math.abs(ref), 1);
}
