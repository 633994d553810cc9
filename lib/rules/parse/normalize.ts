/**
 * Request text → one canonical spelling the grammar reads: lower case, number words as digits
 * ("fifty" → 50, "two hundred" → 200), units glued the same way ("50-day" → "50 day", "2x",
 * "20%"), and synonyms folded ("simple moving average" → "sma", "standard deviations" → "std").
 * Deterministic and pure; spans reported back to the user are spans of this text.
 */

const ONES: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

function numberWords(text: string): string {
  const ones = Object.keys(ONES).join("|");
  const tens = Object.keys(TENS).join("|");
  const word = String.raw`(?:(?:${tens})(?:[\s-](?:${ones}))?|${ones}|a|an)`;
  const re = new RegExp(
    String.raw`\b(?:(${word})\s+hundred(?:\s+(?:and\s+)?(${word}))?|(${tens})(?:[\s-](${ones}))?|(${ones}))\b`,
    "g",
  );
  const value = (w: string | undefined): number => {
    if (!w) return 0;
    if (w === "a" || w === "an") return 1;
    const parts = w.split(/[\s-]+/);
    return parts.reduce((acc, p) => acc + (TENS[p] ?? ONES[p] ?? 0), 0);
  };
  return text.replace(re, (_m, h, rest, t, o, single) => {
    if (h !== undefined) return String(value(h) * 100 + value(rest));
    if (t !== undefined) return String(TENS[t] + (o ? ONES[o] : 0));
    return String(ONES[single]);
  });
}

/** [pattern, replacement] applied in order after lower-casing. */
const REWRITES: [RegExp, string][] = [
  [/[\u2018\u2019]/g, "'"],
  [/[\u2013\u2014]/g, " - "],
  [/\u00d7/g, "x"],
  [/\bper\s*cent\b|\bpercent(?:age)?\b|\bpct\b/g, "%"],
  [/(\d)\s+%/g, "$1%"],
  [/\$\s*(\d)/g, "$1"],
  [/\b(\d+) and a half\b/g, "$1.5"],
  [/\ba half\b|\bhalf a\b/g, "0.5"],
  [/\batr\s*\(\s*(\d+)\s*\)/g, "atr $1"],
  [/\b(?:stochastic\s*)?%\s*([kd])\s*\(\s*(\d+)\s*\)/g, "$2 period stochastic %$1"],
  [/\btwice\b|\bdouble\b/g, "2x"],
  [/\btriple\b/g, "3x"],
  [/(\d)\s*(?:x|times)\b/g, "$1x"],
  [/\bsimple moving averages?\b/g, "sma"],
  [/\bexponential moving averages?\b/g, "ema"],
  [/\b(?:linearly )?weighted moving averages?\b/g, "wma"],
  [/\bmoving averages?\b|\bmas\b|\bma\b/g, "sma"],
  [/\bsmas\b/g, "sma"],
  [/\bemas\b/g, "ema"],
  [/\bstandard deviations?\b|\bstd\.?\s*devs?\b|\bstdevs?\b|\bsigmas?\b|\bsds?\b|\bstds\b/g, "std"],
  [/\baverage true range\b/g, "atr"],
  [/\brelative strength index\b|\brelative strength\b/g, "rsi"],
  [/\brate of change\b/g, "roc"],
  [/\bcommodity channel index\b/g, "cci"],
  [/\baverage directional index\b|\baverage directional movement index\b/g, "adx"],
  [/\bwilliams\s*%\s*r\b|\bwilliams r\b|\bwilliams'? percent r\b|\bwilliams\b/g, "willr"],
  [/\bstochastic oscillator\b|\bstochastics\b/g, "stochastic"],
  [/\bz\s*-?\s*scores?\b/g, "zscore"],
  [/\bbollinger bands?\b/g, "bollinger band"],
  [/\bprice[\s-]to[\s-]earnings(?: ratio)?\b|\bp\s*\/\s*e(?: ratio)?\b|\bpe ratio\b/g, "pe"],
  [/\bprice[\s-]to[\s-]book(?: ratio)?\b|\bp\s*\/\s*b(?: ratio)?\b|\bpb ratio\b/g, "pb"],
  [/\bdebt[\s-]*(?:to|\/)[\s-]*equity(?: ratio)?\b|\bd\s*\/\s*e\b/g, "de"],
  [/\bmarket capi?t?a?l?i?z?a?t?i?o?n?\b|\bmarket cap\b|\bmkt cap\b|\bmcap\b/g, "mcap"],
  [/\bstop[\s-]+loss(?:es)?\b|\bstoploss\b/g, "stop"],
  [/\btake[\s-]+profits?\b|\bprofit[\s-]+targets?\b|\bprofit[\s-]+take\b/g, "target"],
  [/\btrailing[\s-]+stops?\b|\btrail(?:ing)?[\s-]+stop[\s-]+loss\b/g, "trailstop"],
  [
    /\bthe\s+(?:previous|prior|last)\s+(?:day'?s?|bar'?s?|session'?s?)\s+close\b|\byesterday'?s close\b|\b(?:previous|prior) close\b/g,
    "prevclose",
  ],
  [/\bclosing price\b/g, "close"],
  [/\bopening price\b/g, "open"],
  [/\bmacd\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)/g, "macd $1 $2 $3"],
  [/\bbollinger band\s*\(\s*(\d+)\s*,\s*(\d+(?:\.\d+)?)\s*\)/g, "$1 day $2 std bollinger band"],
  [/\b(sma|ema|wma|rsi|atr|adx|cci|roc|willr|zscore|stochastic)\s*\(\s*(\d+)\s*\)/g, "$2 period $1"],
  [/\b(\d+(?:\.\d+)?)\s*-\s*(?=[a-z])/g, "$1 "],
  [/\b(\d+)\s*(?:d)\b/g, "$1 day"],
  [/\b(\d+)\s*(?:wk|wks)\b/g, "$1 week"],
  [/\b(\d+)\s*(?:mo|mos)\b/g, "$1 month"],
  [/\b(\d+)(?:st|nd|rd|th)\b/g, "$1"],
  [/(\d),(\d{3})\b/g, "$1$2"],
  [/\s+/g, " "],
  // "when X, buy" → "buy when X": the role word first, as the grammar reads it
  [
    /(^|[.;]\s*|,\s*)((?:when|if|once|whenever) [^.;]*?),? (buy|sell|exit|enter|go long|go short|short|cover)(?=\s*(?:[.;,]|$))/g,
    "$1$3 $2",
  ],
];

/** The canonical spelling of a request (see the file comment). */
export function normalizeRequest(text: string): string {
  let s = ` ${text.toLowerCase()} `;
  s = numberWords(s);
  for (const [re, to] of REWRITES) s = s.replace(re, to);
  return s.trim();
}
