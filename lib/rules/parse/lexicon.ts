/**
 * Shared pieces of the English grammar: sticky matching at a position, numbers with units,
 * and the words that carry no rule of their own (fillers) and mark roles.
 */

/** A recognised piece of the request: its value and where the match ends. */
export interface Hit<T> {
  value: T;
  end: number;
  /** Defaults the grammar filled in, said back to the user ("RSI period not given: 14"). */
  assumed?: string[];
}

/** A decimal number. */
export const NUM = String.raw`(\d+(?:\.\d+)?)`;
/** A bar count with an optional unit (days, weeks, months, years). */
export const UNIT = String.raw`(?:(?:trading |calendar )?(days?|bars?|weeks?|months?|years?|periods?|sessions?|candles?))`;
/** "50 day", "10 weeks", "14 period", "50". */
export const SPAN = String.raw`(\d+)(?: ${UNIT})?`;

const cache = new Map<string, RegExp>();

/** Matches `source` at `pos` (after optional spaces), ending on a word boundary. */
export function at(text: string, pos: number, source: string): RegExpExecArray | null {
  let re = cache.get(source);
  if (!re) {
    re = new RegExp(String.raw`\s*(?:${source})(?:(?<=\s)|(?![a-z0-9%]))`, "y");
    cache.set(source, re);
  }
  re.lastIndex = pos;
  return re.exec(text);
}

/** End offset of a match made by {@link at}. */
export const endOf = (m: RegExpExecArray): number => m.index + m[0].length;

/** Bars per unit on daily bars. */
export function toBars(n: number, unit: string | undefined): number {
  const u = (unit ?? "").replace(/s$/, "");
  if (u === "week") return n * 5;
  if (u === "month") return n * 21;
  if (u === "year") return n * 252;
  return n;
}

/** A money amount with an optional size word: "10 billion" → 1e10. */
export function money(n: string, size: string | undefined): number {
  const mult: Record<string, number> = {
    k: 1e3,
    thousand: 1e3,
    m: 1e6,
    mm: 1e6,
    mn: 1e6,
    million: 1e6,
    b: 1e9,
    bn: 1e9,
    billion: 1e9,
    t: 1e12,
    tn: 1e12,
    trillion: 1e12,
  };
  return Number(n) * (size ? (mult[size] ?? 1) : 1);
}
export const SIZE = String.raw`(?: ?(k|thousand|mm|mn|m|million|bn|b|billion|tn|t|trillion))?`;

/** Verbs and copulas between a series and its comparison ("is", "closes", "trades", …). */
export const VERB = String.raw`(?:(?:is|are|was|back|closes|close|closed|closing|trades|trading|trade|moves|stays|remains|holds|sits|goes|reads|prints|comes in|gets|has|been|be|to|still) )*`;

/** Words that carry no rule of their own; never reported as not understood. */
export const FILLERS = new Set(
  `a an the when whenever if once as after then and but while with on its it their them they his her is are be being been was were
   of to for at by in that which who whose stocks stock shares share price prices me i my we us our you your please strategy system
   trade trades trading position positions also just only should will would can could go get into from there this these those any all
   signal signals rule rules setup setups want like some every each both either so than do does did has have had style idea approach
   plan names companies equities securities symbol symbols ticker tickers universe market long-only today's todays write create build code generate design give need : , . ; ! ? - ( )`
    .split(/\s+/)
    .filter(Boolean),
);

/** Words that connect conditions. */
export const OR_WORDS = new Set(["or", "either"]);
