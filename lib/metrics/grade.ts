/**
 * Strategy grade: a 0–100 score and a level, from components measured on the backtest itself.
 *
 * Components (each scored 0..1; the score is the weighted mean over the components that could be
 * measured, × 100, rounded to one decimal):
 *   sharpe      (30)  min(max(Sharpe, 0) / 2, 1)            — 2.0 or better scores full
 *   drawdown    (25)  1 at |maxDD| <= 10 %, 0 at >= 40 %, linear between
 *   regimes     (20)  share of market regimes (bull / bear / sideways, labelled on the benchmark in
 *                     63-bar windows: window return > +5 % bull, < −5 % bear, else sideways) in which
 *                     the strategy's summed window returns are positive; regimes that never occur
 *                     are not counted
 *   crashes     (15)  share of crash windows (benchmark 21-bar return < −10 %) in which the strategy
 *                     lost less than 10 %; not measured when the sample has no crash
 *   trades      (10)  min(profit factor / 2, 1); not measured without closed trades
 * Levels on the rounded score: ELITE >= 85, BATTLE_READY >= 70, DEVELOPING >= 50,
 * INADEQUATE >= 30, else FAILED. ELITE also needs every hard gate (Sharpe >= 2.0, |maxDD| <= 10 %,
 * regime consistency >= 0.7 and crash survival >= 0.8 when measured); a score of 85+ that misses a
 * gate is graded BATTLE_READY. `passedElite` is true exactly when the level is ELITE.
 * Crowding, reflexivity and alpha half-life need data a backtest does not have: not measured.
 */
import { maxDrawdown } from "./drawdown";

export const GRADE_LEVELS = ["ELITE", "BATTLE_READY", "DEVELOPING", "INADEQUATE", "FAILED"] as const;
export type GradeLevel = (typeof GRADE_LEVELS)[number];

export interface GradeInput {
  /** Strategy equity, one value per bar. */
  equity: ArrayLike<number>;
  /** Buy-and-hold benchmark equity on the same bars (for regimes and crashes). */
  benchmark: ArrayLike<number>;
  /** Annualized Sharpe ratio of the strategy. */
  sharpe: number;
  /** Profit factor of closed trades (NaN when none). */
  profitFactor: number;
  numTrades: number;
}

export interface GradeComponent {
  key: "sharpe" | "drawdown" | "regimes" | "crashes" | "trades";
  weight: number;
  /** 0..1, or null when not measured. */
  value: number | null;
  detail: string;
}

export interface Grade {
  score: number;
  grade: GradeLevel;
  passedElite: boolean;
  components: GradeComponent[];
  /** Strengths in words. */
  uniqueEdges: string[];
  /** Hard gates missed, in words. */
  failedGates: string[];
  notMeasured: string[];
}

const WINDOW = 63;
const CRASH_WINDOW = 21;

/** Level for a score (already rounded), before hard gates. */
export function levelForScore(score: number): GradeLevel {
  if (score >= 85) return "ELITE";
  if (score >= 70) return "BATTLE_READY";
  if (score >= 50) return "DEVELOPING";
  if (score >= 30) return "INADEQUATE";
  return "FAILED";
}

function windowReturn(v: ArrayLike<number>, from: number, to: number): number {
  return v[to] / v[from] - 1;
}

/** Regime consistency: share of occurring regimes in which the strategy made money. */
export function regimeConsistency(
  equity: ArrayLike<number>,
  benchmark: ArrayLike<number>,
): { value: number | null; profitable: string[]; seen: string[] } {
  const sums = new Map<string, number>();
  for (let start = 0; start + WINDOW < equity.length; start += WINDOW) {
    const end = start + WINDOW;
    const b = windowReturn(benchmark, start, end);
    if (!Number.isFinite(b)) continue;
    const regime = b > 0.05 ? "bull" : b < -0.05 ? "bear" : "sideways";
    sums.set(regime, (sums.get(regime) ?? 0) + windowReturn(equity, start, end));
  }
  const seen = [...sums.keys()];
  const profitable = seen.filter((r) => (sums.get(r) ?? 0) > 0);
  return { value: seen.length ? profitable.length / seen.length : null, profitable, seen };
}

/** Crash survival: share of benchmark crash windows in which the strategy lost less than 10 %. */
export function crashSurvival(
  equity: ArrayLike<number>,
  benchmark: ArrayLike<number>,
): { value: number | null; crashes: number } {
  let crashes = 0;
  let survived = 0;
  for (let start = 0; start + CRASH_WINDOW < equity.length; start += CRASH_WINDOW) {
    const b = windowReturn(benchmark, start, start + CRASH_WINDOW);
    if (!(b < -0.1)) continue;
    crashes += 1;
    if (windowReturn(equity, start, start + CRASH_WINDOW) > -0.1) survived += 1;
  }
  return { value: crashes ? survived / crashes : null, crashes };
}

export function gradeStrategy(input: GradeInput): Grade {
  const dd = Math.abs(maxDrawdown(input.equity).maxDrawdown);
  const regimes = regimeConsistency(input.equity, input.benchmark);
  const crashes = crashSurvival(input.equity, input.benchmark);
  const sharpe = Number.isFinite(input.sharpe) ? input.sharpe : 0;
  const components: GradeComponent[] = [
    { key: "sharpe", weight: 30, value: Math.min(Math.max(sharpe, 0) / 2, 1), detail: `Sharpe ${sharpe.toFixed(2)}` },
    {
      key: "drawdown",
      weight: 25,
      value: Math.min(1, Math.max(0, (0.4 - dd) / 0.3)),
      detail: `max drawdown ${(dd * 100).toFixed(1)} %`,
    },
    {
      key: "regimes",
      weight: 20,
      value: regimes.value,
      detail: `profitable in ${regimes.profitable.length} of ${regimes.seen.length} regimes (${regimes.profitable.join(", ") || "none"})`,
    },
    {
      key: "crashes",
      weight: 15,
      value: crashes.value,
      detail: crashes.crashes
        ? `survived ${Math.round((crashes.value ?? 0) * crashes.crashes)} of ${crashes.crashes} crash windows`
        : "no crash in the sample",
    },
    {
      key: "trades",
      weight: 10,
      value:
        input.numTrades > 0 && !Number.isNaN(input.profitFactor)
          ? Math.min((Number.isFinite(input.profitFactor) ? input.profitFactor : 2) / 2, 1)
          : null,
      detail: `${input.numTrades} closed trades, profit factor ${Number.isFinite(input.profitFactor) ? input.profitFactor.toFixed(2) : String(input.profitFactor)}`,
    },
  ];
  const measured = components.filter((c) => c.value !== null);
  const totalWeight = measured.reduce((s, c) => s + c.weight, 0);
  const raw = totalWeight ? (measured.reduce((s, c) => s + c.weight * (c.value ?? 0), 0) / totalWeight) * 100 : 0;
  const score = Math.round(raw * 10) / 10;
  const failedGates: string[] = [];
  if (sharpe < 2) failedGates.push(`Sharpe ${sharpe.toFixed(2)} is below 2.0`);
  if (dd > 0.1) failedGates.push(`Max drawdown ${(dd * 100).toFixed(1)} % is above 10 %`);
  if (regimes.value !== null && regimes.value < 0.7)
    failedGates.push(`Profitable in only ${Math.round(regimes.value * 100)} % of market regimes (needs 70 %)`);
  if (crashes.value !== null && crashes.value < 0.8)
    failedGates.push(`Survived only ${Math.round(crashes.value * 100)} % of crash windows (needs 80 %)`);
  let grade = levelForScore(score);
  if (grade === "ELITE" && failedGates.length) grade = "BATTLE_READY";
  const edges: Record<GradeComponent["key"], string> = {
    sharpe: "Strong risk-adjusted return",
    drawdown: "Shallow drawdowns",
    regimes: "Works across market regimes",
    crashes: "Survives tail events",
    trades: "Winners outweigh losers",
  };
  return {
    score,
    grade,
    passedElite: grade === "ELITE",
    components,
    uniqueEdges: components.filter((c) => (c.value ?? 0) >= 0.8).map((c) => `${edges[c.key]} (${c.detail})`),
    failedGates,
    notMeasured: [
      ...components.filter((c) => c.value === null).map((c) => c.key),
      "crowding",
      "reflexivity",
      "alpha half-life",
      "capacity",
    ],
  };
}
