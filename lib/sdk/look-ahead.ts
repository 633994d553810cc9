/**
 * Prefix-consistency check for look-ahead bias. A vectorized `signals()` can read
 * `close[i + 1]`; run on a truncated history it then produces different values on the bars
 * before the cut than the full run did. We run a few prefixes of a few symbols and require
 * every output on bars `[0, cut)` to equal the full run's.
 */
import type { StrategyInput } from "./bars";
import { OUTPUT_KEYS, sliceBars } from "./normalize";
import type { StrategyOutput } from "./types";

/** Runs a strategy's signals over several inputs (the sandbox, or plain code in tests). */
export type SignalsRunner = (inputs: StrategyInput[]) => Promise<StrategyOutput[]>;

/** Outcome of {@link checkLookAhead}. */
export interface LookAheadResult {
  /** true when some output before a cut differs between the prefix run and the full run. */
  usesFutureData: boolean;
  /** The earliest bar index where a difference was seen. */
  firstBar?: number;
  /** The output array that differed ("entries", "score", …). */
  output?: string;
  /** The symbol on which it differed. */
  symbol?: string;
  /** Prefix lengths that were compared. */
  cuts: number[];
  /** Set when the prefix runs could not be made (the check is then inconclusive, usesFutureData false). */
  error?: string;
}

/** Options of {@link checkLookAhead}. */
export interface LookAheadOptions {
  /** Cut points as fractions of each symbol's length; the last bar is always cut too. Default [0.25, 0.5, 0.75]. */
  fractions?: number[];
  /** How many symbols to check (the first ones given). Default 2. */
  maxSymbols?: number;
  /** Smallest prefix worth running, in bars. Default 2. */
  minBars?: number;
}

/** Relative tolerance for numeric outputs (identical code on identical leading data should agree exactly). */
const REL_TOL = 1e-9;

function sameNumber(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= REL_TOL * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Prefix lengths for a series of `n` bars. */
export function lookAheadCuts(n: number, fractions = [0.25, 0.5, 0.75], minBars = 2): number[] {
  const cuts = new Set<number>();
  for (const f of fractions) cuts.add(Math.floor(n * f));
  cuts.add(n - 1);
  return [...cuts].filter((k) => k >= minBars && k < n).sort((a, b) => a - b);
}

/** First index in [0, cut) where the two outputs' `key` arrays differ, or -1. */
function firstDifference(full: StrategyOutput, prefix: StrategyOutput, key: keyof StrategyOutput, cut: number): number {
  const a = full[key];
  const b = prefix[key];
  if (a === undefined && b === undefined) return -1;
  if (a === undefined || b === undefined) return 0;
  const isFlag = key === "entries" || key === "exits" || key === "shortEntries" || key === "shortExits";
  for (let i = 0; i < cut; i++) {
    if (isFlag ? Boolean(a[i]) !== Boolean(b[i]) : !sameNumber(Number(a[i]), Number(b[i]))) return i;
  }
  return -1;
}

/**
 * Compare `full` (the strategy's outputs for `inputs`) with runs on truncated prefixes.
 * Makes one call to `run` with every prefix of the checked symbols.
 */
export async function checkLookAhead(
  run: SignalsRunner,
  inputs: StrategyInput[],
  full: StrategyOutput[],
  opts: LookAheadOptions = {},
): Promise<LookAheadResult> {
  const checked = inputs.slice(0, opts.maxSymbols ?? 2);
  const jobs: { index: number; cut: number }[] = [];
  const prefixes: StrategyInput[] = [];
  const allCuts = new Set<number>();
  checked.forEach((input, index) => {
    for (const cut of lookAheadCuts(input.bars.close.length, opts.fractions, opts.minBars)) {
      jobs.push({ index, cut });
      prefixes.push({ symbol: input.symbol, bars: sliceBars(input.bars, cut) });
      allCuts.add(cut);
    }
  });
  const cuts = [...allCuts].sort((a, b) => a - b);
  if (prefixes.length === 0) return { usesFutureData: false, cuts };
  let outputs: StrategyOutput[];
  try {
    outputs = await run(prefixes);
  } catch (err) {
    return { usesFutureData: false, cuts, error: err instanceof Error ? err.message : String(err) };
  }
  let found: Omit<LookAheadResult, "cuts"> | undefined;
  jobs.forEach(({ index, cut }, j) => {
    for (const key of OUTPUT_KEYS) {
      const bar = firstDifference(full[index], outputs[j], key, cut);
      if (bar >= 0 && (found?.firstBar === undefined || bar < found.firstBar)) {
        found = { usesFutureData: true, firstBar: bar, output: key, symbol: checked[index].symbol };
      }
    }
  });
  return found ? { ...found, cuts } : { usesFutureData: false, cuts };
}
