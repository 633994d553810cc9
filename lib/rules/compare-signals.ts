/**
 * Bar-by-bar comparison of a strategy's signals with what its plan says. The bars checked are
 * the signal bars: every bar where either side has an entry or an exit flag, and the stop and
 * target levels on entry bars.
 */
import type { ExpectedSignals } from "./evaluate";

/** Signals as the strategy returned them (long or short flags). */
export interface ActualSignals {
  entries: ArrayLike<number>;
  exits: ArrayLike<number>;
  shortEntries?: ArrayLike<number>;
  shortExits?: ArrayLike<number>;
  stopLoss?: ArrayLike<number>;
  takeProfit?: ArrayLike<number>;
}

/** The first bar where the code and the plan disagree. */
export interface Disagreement {
  symbol: string;
  bar: number;
  timestampMs: number | null;
  field: "entries" | "exits" | "stopLoss" | "takeProfit";
  expected: number;
  actual: number;
}

/** Outcome for one symbol or a whole sample. */
export interface SignalComparison {
  signalBars: number;
  matchingBars: number;
  first: Disagreement | null;
}

const sameLevel = (a: number, b: number) =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Compares one symbol; `side` picks the long or short flags of `actual`. */
export function compareSignals(
  expected: ExpectedSignals,
  actual: ActualSignals,
  opts: { symbol: string; side: "long" | "short"; timestamps?: ArrayLike<number> },
): SignalComparison {
  const n = expected.entries.length;
  const zero = new Uint8Array(n);
  const ent = opts.side === "long" ? actual.entries : (actual.shortEntries ?? zero);
  const ex = opts.side === "long" ? actual.exits : (actual.shortExits ?? zero);
  let signalBars = 0;
  let matchingBars = 0;
  let first: Disagreement | null = null;
  const miss = (bar: number, field: Disagreement["field"], e: number, a: number) => {
    first ??= {
      symbol: opts.symbol,
      bar,
      timestampMs: opts.timestamps ? opts.timestamps[bar] : null,
      field,
      expected: e,
      actual: a,
    };
  };
  for (let i = 0; i < n; i++) {
    const e1 = expected.entries[i] ? 1 : 0;
    const a1 = ent[i] ? 1 : 0;
    const e2 = expected.exits[i] ? 1 : 0;
    const a2 = ex[i] ? 1 : 0;
    if (!(e1 || a1 || e2 || a2)) continue;
    signalBars += 1;
    let ok = true;
    const check = (same: boolean, field: Disagreement["field"], e: number, a: number) => {
      if (same) return;
      ok = false;
      miss(i, field, e, a);
    };
    check(e1 === a1, "entries", e1, a1);
    check(e2 === a2, "exits", e2, a2);
    if (e1 && expected.stopLoss) {
      const a = actual.stopLoss ? actual.stopLoss[i] : NaN;
      check(sameLevel(expected.stopLoss[i], a), "stopLoss", expected.stopLoss[i], a);
    }
    if (e1 && expected.takeProfit) {
      const a = actual.takeProfit ? actual.takeProfit[i] : NaN;
      check(sameLevel(expected.takeProfit[i], a), "takeProfit", expected.takeProfit[i], a);
    }
    if (ok) matchingBars += 1;
  }
  return { signalBars, matchingBars, first };
}

/** Adds up per-symbol comparisons (the first disagreement of the earliest symbol wins). */
export function mergeComparisons(parts: SignalComparison[]): SignalComparison {
  return parts.reduce<SignalComparison>(
    (acc, c) => ({
      signalBars: acc.signalBars + c.signalBars,
      matchingBars: acc.matchingBars + c.matchingBars,
      first: acc.first ?? c.first,
    }),
    { signalBars: 0, matchingBars: 0, first: null },
  );
}
