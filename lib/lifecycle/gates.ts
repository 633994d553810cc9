/**
 * Lifecycle gates: the numbers a strategy must reach to move CANDIDATE → SHADOW → LIVE.
 * Defaults are the seed's; a workspace may override any of them.
 *
 * - Entering CANDIDATE: a new individual's candidate backtest over the last `candidateDays` days of
 *   bars (90) must close at least `candidateMinTrades` trades (1); until then it has no lifecycle state.
 * - CANDIDATE → SHADOW, on that candidate backtest (not on the evolution's window): profit factor > `shadowMinProfitFactor` and win rate >
 *   `shadowMinWinRatePct`, both strictly (PF 1.50 stays a candidate), with at least
 *   `shadowMinTrades` closed trades so one lucky trade is not a pass.
 * - SHADOW → LIVE: at least `shadowMinDays` days of bars that arrived after entering SHADOW,
 *   fitness ≥ `liveMinFitness` (70.0 passes) and an admin's approval.
 */
export interface LifecycleGates {
  candidateDays: number;
  candidateMinTrades: number;
  shadowMinProfitFactor: number;
  shadowMinWinRatePct: number;
  shadowMinTrades: number;
  shadowMinDays: number;
  liveMinFitness: number;
}

export const DEFAULT_GATES: LifecycleGates = {
  candidateDays: 90,
  candidateMinTrades: 1,
  shadowMinProfitFactor: 1.5,
  shadowMinWinRatePct: 45,
  shadowMinTrades: 10,
  shadowMinDays: 7,
  liveMinFitness: 70,
};

/** A gate that was not met, in words naming it. */
export interface GateFailure {
  gate: keyof LifecycleGates;
  message: string;
}

/** CANDIDATE → SHADOW check on a backtest's figures; profit factor may be +Infinity (no losing trade). */
export function shadowGate(
  m: { profitFactor: number; winRatePct: number; numTrades: number },
  gates: LifecycleGates = DEFAULT_GATES,
): GateFailure[] {
  const out: GateFailure[] = [];
  if (!(m.numTrades >= gates.shadowMinTrades))
    out.push({
      gate: "shadowMinTrades",
      message: `needs at least ${gates.shadowMinTrades} closed trades, has ${m.numTrades}`,
    });
  if (!(m.profitFactor > gates.shadowMinProfitFactor))
    out.push({
      gate: "shadowMinProfitFactor",
      message: `profit factor must be above ${gates.shadowMinProfitFactor}, is ${Number.isNaN(m.profitFactor) ? "undefined" : m.profitFactor.toFixed(2)}`,
    });
  if (!(m.winRatePct > gates.shadowMinWinRatePct))
    out.push({
      gate: "shadowMinWinRatePct",
      message: `win rate must be above ${gates.shadowMinWinRatePct} %, is ${Number.isNaN(m.winRatePct) ? "undefined" : `${m.winRatePct.toFixed(1)} %`}`,
    });
  return out;
}

/** Entry into CANDIDATE: the candidate backtest closed enough trades. */
export function candidateGate(m: { numTrades: number }, gates: LifecycleGates = DEFAULT_GATES): GateFailure[] {
  if (m.numTrades >= gates.candidateMinTrades) return [];
  return [
    {
      gate: "candidateMinTrades",
      message: `the ${gates.candidateDays}-day candidate backtest needs at least ${gates.candidateMinTrades} closed trades, has ${m.numTrades}`,
    },
  ];
}

/** SHADOW → LIVE figures (approval is checked by the caller, who knows the actor's role). */
export function liveGate(
  m: { fitness: number; shadowDaysOfBars: number },
  gates: LifecycleGates = DEFAULT_GATES,
): GateFailure[] {
  const out: GateFailure[] = [];
  if (!(m.shadowDaysOfBars >= gates.shadowMinDays))
    out.push({
      gate: "shadowMinDays",
      message: `needs ${gates.shadowMinDays} days of new bars in SHADOW, has ${m.shadowDaysOfBars.toFixed(1)}`,
    });
  if (!(m.fitness >= gates.liveMinFitness))
    out.push({
      gate: "liveMinFitness",
      message: `fitness must be at least ${gates.liveMinFitness}, is ${m.fitness.toFixed(1)}`,
    });
  return out;
}
