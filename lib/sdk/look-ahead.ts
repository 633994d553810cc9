/**
 * Look-ahead check: a vectorized `signals()` can read `close[i + 1]`; run on a history cut at a
 * bar it then gives different outputs before the cut than the full run did. Two kinds of cuts:
 *  - at every bar where the strategy emits a signal (entries, exits and their short forms): the
 *    history is cut just after that bar and every output up to it (score included) must match
 *    the full run. This catches peeks that fire only on rare events (buy the day before a 4 %
 *    jump), as Freqtrade's lookahead analysis does per trade. Every symbol of the run is checked;
 *    past `maxSignalChecks` the signals are sampled evenly over symbols and time (reported);
 *  - at fixed fractions of the first symbols' histories: catches outputs that use the whole
 *    series (a mean or maximum over all bars, a centred average) even where no signal fires.
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
  /** Prefix lengths that were compared (the fixed-fraction cuts). */
  cuts: number[];
  /** Signal bars (before each symbol's last bar) re-run on history cut at that bar. */
  signalsChecked?: number;
  /** Signal bars the strategy emitted before each symbol's last bar; more than checked when sampled. */
  signalsTotal?: number;
  /** Symbols with at least one signal bar checked. */
  symbolsChecked?: number;
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
  /** At most this many signal bars are re-run (sampled evenly over symbols, then time). Default 300. */
  maxSignalChecks?: number;
}

const FLAG_KEYS = ["entries", "exits", "shortEntries", "shortExits"] as const;

/** Bars `i < n - 1` where `out` emits any entry or exit flag. */
function signalBars(out: StrategyOutput, n: number): number[] {
  const bars: number[] = [];
  const flags = FLAG_KEYS.map((k) => out[k]).filter((a): a is Uint8Array => a !== undefined);
  for (let i = 0; i < n - 1; i++) if (flags.some((f) => f[i])) bars.push(i);
  return bars;
}

/**
 * How many of each symbol's `counts` signals to check within `budget`: an equal share each,
 * the share of symbols with fewer signals passed on to the others (water-filling).
 */
export function signalQuotas(counts: number[], budget: number): number[] {
  const quota = counts.map(() => 0);
  let remaining = Math.max(0, Math.floor(budget));
  let active = counts.map((_, k) => k).filter((k) => counts[k] > 0);
  while (remaining > 0 && active.length > 0) {
    const share = Math.max(1, Math.floor(remaining / active.length));
    for (const k of active) {
      const add = Math.min(share, counts[k] - quota[k], remaining);
      quota[k] += add;
      remaining -= add;
    }
    active = active.filter((k) => quota[k] < counts[k]);
  }
  return quota;
}

/** `q` of `items`, evenly spaced (all of them when q ≥ length). */
function spread<T>(items: T[], q: number): T[] {
  if (q >= items.length) return items;
  return Array.from({ length: q }, (_, j) => items[Math.floor(((j + 0.5) * items.length) / q)]);
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
 * Compare `full` (the strategy's outputs for `inputs`) with runs on histories cut at every
 * signal bar (sampled past `maxSignalChecks`) and at fixed fractions of the first symbols.
 * Makes one call to `run` with every cut history.
 */
export async function checkLookAhead(
  run: SignalsRunner,
  inputs: StrategyInput[],
  full: StrategyOutput[],
  opts: LookAheadOptions = {},
): Promise<LookAheadResult> {
  const minBars = opts.minBars ?? 2;
  const jobs: { index: number; cut: number }[] = [];
  const prefixes: StrategyInput[] = [];
  const add = (index: number, cut: number) => {
    jobs.push({ index, cut });
    prefixes.push({ symbol: inputs[index].symbol, bars: sliceBars(inputs[index].bars, cut) });
  };
  const allCuts = new Set<number>();
  inputs.slice(0, opts.maxSymbols ?? 2).forEach((input, index) => {
    for (const cut of lookAheadCuts(input.bars.close.length, opts.fractions, minBars)) {
      add(index, cut);
      allCuts.add(cut);
    }
  });
  const signals = inputs.map((input, index) =>
    full[index] ? signalBars(full[index], input.bars.close.length).filter((i) => i + 1 >= minBars) : [],
  );
  const quotas = signalQuotas(
    signals.map((s) => s.length),
    opts.maxSignalChecks ?? 300,
  );
  let signalsChecked = 0;
  signals.forEach((bars, index) => {
    for (const i of spread(bars, quotas[index])) {
      add(index, i + 1);
      signalsChecked++;
    }
  });
  const counts = {
    signalsChecked,
    signalsTotal: signals.reduce((sum, s) => sum + s.length, 0),
    symbolsChecked: quotas.filter((q) => q > 0).length,
  };
  const cuts = [...allCuts].sort((a, b) => a - b);
  if (prefixes.length === 0) return { usesFutureData: false, cuts, ...counts };
  let outputs: StrategyOutput[];
  try {
    outputs = await run(prefixes);
  } catch (err) {
    return { usesFutureData: false, cuts, ...counts, error: err instanceof Error ? err.message : String(err) };
  }
  let found: Omit<LookAheadResult, "cuts"> | undefined;
  jobs.forEach(({ index, cut }, j) => {
    for (const key of OUTPUT_KEYS) {
      const bar = firstDifference(full[index], outputs[j], key, cut);
      if (bar >= 0 && (found?.firstBar === undefined || bar < found.firstBar)) {
        found = { usesFutureData: true, firstBar: bar, output: key, symbol: inputs[index].symbol };
      }
    }
  });
  return found ? { ...found, cuts, ...counts } : { usesFutureData: false, cuts, ...counts };
}
