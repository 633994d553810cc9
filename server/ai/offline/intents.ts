import "server-only";
/**
 * Reading a plain-English strategy request: which trading ideas it names and the numbers
 * attached to them ("gap up by more than 3%", "RSI below 30", "volume 2x average",
 * "50/200 moving average crossover", "20-day breakout", "P/E under 15", "8% stop").
 * Pure and deterministic; the offline generator turns the result into SDK code.
 */

/** One recognised trading idea with its numbers (all optional: defaults fill the gaps). */
export type Intent =
  | { kind: "gap"; minGapPct: number }
  | { kind: "volume"; multiple: number; period: number }
  | { kind: "rsi-below"; level: number; period: number }
  | { kind: "rsi-above"; level: number; period: number }
  | { kind: "ma-cross"; fast: number; slow: number; average: "sma" | "ema" }
  | { kind: "breakout"; lookback: number }
  | { kind: "bollinger"; period: number; width: number }
  | { kind: "zscore"; period: number; entryZ: number }
  | { kind: "momentum"; lookback: number }
  | { kind: "value"; maxPe: number; maxDebtToEquity: number };

/** Everything read from one request. */
export interface ParsedRequest {
  request: string;
  intents: Intent[];
  /** Stop-loss distance below the signal close, percent. */
  stopLossPct: number | null;
  /** Take-profit distance above the signal close, percent. */
  takeProfitPct: number | null;
  /** Upper-case tickers the request names ("Alert me when ARM …"). */
  symbols: string[];
  /** The request asks to be told (alert) or to list (screen) rather than to trade. */
  mode: "backtest" | "screen" | "alert";
  /** Nothing recognisable: the generator falls back to a moving-average crossover. */
  fallback: boolean;
}

const NUM = String.raw`(\d+(?:\.\d+)?)`;

function firstNumber(text: string, patterns: RegExp[]): number | null {
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) {
      const value = Number(m[1]);
      if (Number.isFinite(value)) return value;
    }
  }
  return null;
}

/** `subject` followed within three words (not crossing "and"/"with") by a comparator and a number. */
function near(subject: string, comparators: string): RegExp {
  return new RegExp(String.raw`${subject}(?:\s+(?!and\b|with\b|or\b)[^\s.,;]+){0,3}?\s*(?:${comparators})\s*${NUM}`);
}

function clampTo(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

const NOT_TICKERS = new Set(["RSI", "ATR", "SMA", "EMA", "MACD", "PE", "P/E", "USD", "ETF", "AND", "OR", "THE", "ADX", "CCI", "OBV", "VWAP", "EPS", "I", "A", "ME", "N"]);

function tickers(request: string): string[] {
  const found = new Set<string>();
  for (const m of request.matchAll(/\b([A-Z]{2,5})\b/g)) if (!NOT_TICKERS.has(m[1])) found.add(m[1]);
  return [...found];
}

function gapIntent(t: string): Intent | null {
  if (!/\bgap(s|ped|ping)?\s*(up|higher)?\b/.test(t)) return null;
  const pct = firstNumber(t, [new RegExp(String.raw`gap\w*\s+(?:up\s+)?(?:by\s+)?(?:more than\s+|at least\s+|over\s+|of\s+|>\s*)?${NUM}\s*%`), new RegExp(`${NUM}\\s*%\\s+(?:or more\\s+)?gap`)]);
  return { kind: "gap", minGapPct: clampTo(pct ?? 3, 0.5, 20) };
}

function volumeIntent(t: string): Intent | null {
  if (!/\bvolume\b/.test(t)) return null;
  const multiple = firstNumber(t, [
    new RegExp(`volume[^.,;]*?${NUM}\\s*(?:x|×|times)`),
    new RegExp(`${NUM}\\s*(?:x|×|times)\\s+(?:the\\s+)?(?:average|avg|normal|usual)?\\s*volume`),
  ]);
  const period = firstNumber(t, [new RegExp(`${NUM}[- ](?:day|bar|session)\\s+(?:average|avg)\\s+volume`)]);
  return { kind: "volume", multiple: clampTo(multiple ?? 1.5, 1, 10), period: clampTo(Math.round(period ?? 20), 2, 100) };
}

function rsiIntents(t: string): Intent[] {
  if (!/\brsi\b|relative strength/.test(t)) return [];
  const period = clampTo(Math.round(firstNumber(t, [new RegExp(`${NUM}[- ](?:day|period|bar)\\s+rsi`), new RegExp(`rsi\\s*\\(\\s*${NUM}\\s*\\)`)]) ?? 14), 2, 100);
  const below = firstNumber(t, [near("rsi", "below|under|less than|<")]);
  const above = firstNumber(t, [near("rsi", "above|over|greater than|>")]);
  const out: Intent[] = [];
  if (below !== null) out.push({ kind: "rsi-below", level: clampTo(below, 1, 99), period });
  if (above !== null) out.push({ kind: "rsi-above", level: clampTo(above, 1, 99), period });
  if (out.length === 0) out.push(/overbought/.test(t) ? { kind: "rsi-above", level: 70, period } : { kind: "rsi-below", level: 30, period });
  return out;
}

function maCrossIntent(t: string): Intent | null {
  const named = /moving[- ]average|\bsma\b|\bema\b|golden cross|death cross|crossover|cross(es)? (above|over)/.test(t);
  if (!named || /rsi[^.]*cross/.test(t)) return null;
  const pair = new RegExp(`${NUM}\\s*(?:/|and|&|-|vs\\.?|over)\\s*${NUM}`).exec(t);
  let fast = 20;
  let slow = 50;
  if (pair) {
    const a = Number(pair[1]);
    const b = Number(pair[2]);
    fast = Math.min(a, b);
    slow = Math.max(a, b);
  } else if (/golden cross|death cross/.test(t)) {
    fast = 50;
    slow = 200;
  }
  fast = clampTo(Math.round(fast), 2, 200);
  slow = clampTo(Math.round(slow), fast + 1, 400);
  return { kind: "ma-cross", fast, slow, average: /\bema\b|exponential/.test(t) ? "ema" : "sma" };
}

function breakoutIntent(t: string): Intent | null {
  if (!/break ?out|new high|(\d+)[- ](?:day|week|bar) high|donchian|channel/.test(t)) return null;
  const days = firstNumber(t, [new RegExp(`${NUM}[- ](?:day|bar|session)s?\\s+(?:high|breakout|channel|range)`), new RegExp(`breakout[^.,;]*?${NUM}[- ](?:day|bar)`)]);
  const weeks = firstNumber(t, [new RegExp(`${NUM}[- ]weeks?\\s+(?:high|breakout)`)]);
  const lookback = days ?? (weeks !== null ? weeks * 5 : 20);
  return { kind: "breakout", lookback: clampTo(Math.round(lookback), 5, 250) };
}

function reversionIntent(t: string): Intent | null {
  if (/z[- ]?score/.test(t)) {
    const z = firstNumber(t, [new RegExp(`z[- ]?score[^.,;]*?(?:below|under|<|of)\\s*-?\\s*${NUM}`)]);
    const period = firstNumber(t, [new RegExp(`${NUM}[- ](?:day|bar)\\s+z`)]);
    return { kind: "zscore", entryZ: clampTo(z ?? 2, 0.5, 5), period: clampTo(Math.round(period ?? 20), 5, 200) };
  }
  if (/bollinger|mean[- ]revers|oversold bounce|revert/.test(t)) {
    const width = firstNumber(t, [new RegExp(`${NUM}\\s*(?:standard deviations|std|sigma|σ)`)]);
    const period = firstNumber(t, [new RegExp(`${NUM}[- ](?:day|bar|period)\\s+bollinger`)]);
    return { kind: "bollinger", width: clampTo(width ?? 2, 0.5, 4), period: clampTo(Math.round(period ?? 20), 5, 100) };
  }
  return null;
}

function momentumIntent(t: string): Intent | null {
  if (!/momentum|strongest|top performers|relative strength rank|rank(ing)?\b|trend following|outperform/.test(t)) return null;
  const months = firstNumber(t, [new RegExp(`${NUM}[- ]months?`)]);
  const days = firstNumber(t, [new RegExp(`${NUM}[- ](?:day|bar)s?\\s+(?:momentum|return|performance)`)]);
  const lookback = days ?? (months !== null ? months * 21 : 126);
  return { kind: "momentum", lookback: clampTo(Math.round(lookback), 30, 252) };
}

function valueIntent(t: string): Intent | null {
  if (!/\bvalue\b|\bp\/?e\b|price[- ]to[- ]earnings|earnings ratio|debt[- ]to[- ]equity|balance sheet|cheap|undervalued/.test(t)) return null;
  const pe = firstNumber(t, [new RegExp(`(?:p\\/?e|price[- ]to[- ]earnings|earnings ratio)[^.,;]*?(?:under|below|less than|<|of at most|at most)\\s*${NUM}`)]);
  const de = firstNumber(t, [new RegExp(`debt[- ]to[- ]equity[^.,;]*?(?:under|below|less than|<|at most)\\s*${NUM}`)]);
  // Without a number, "strong balance sheet" reads as debt/equity at most 1 (more equity than debt).
  return { kind: "value", maxPe: clampTo(pe ?? 15, 1, 60), maxDebtToEquity: clampTo(de ?? 1, 0, 5) };
}

/** Reads the request's trading ideas, numbers, stops, tickers and mode. Never throws. */
export function parseRequest(request: string): ParsedRequest {
  const t = request.toLowerCase().replace(/\s+/g, " ");
  const intents: Intent[] = [];
  const push = (i: Intent | null) => {
    if (i) intents.push(i);
  };
  push(valueIntent(t));
  push(gapIntent(t));
  intents.push(...rsiIntents(t));
  push(maCrossIntent(t));
  push(breakoutIntent(t));
  push(reversionIntent(t));
  push(momentumIntent(t));
  push(volumeIntent(t));
  const stopLossPct = firstNumber(t, [new RegExp(`${NUM}\\s*%\\s*(?:trailing\\s+)?stop`), new RegExp(`stop(?:[- ]loss)?[^.,;]*?${NUM}\\s*%`)]);
  const takeProfitPct = firstNumber(t, [new RegExp(`${NUM}\\s*%\\s*(?:profit target|target|take[- ]profit)`), new RegExp(`(?:take[- ]profit|profit target|target)[^.,;]*?${NUM}\\s*%`)]);
  const mode = /\balert|notify|tell me|let me know|ping me/.test(t) ? "alert" : /\bfind\b|\bscreen\b|\blist\b|\bshow me\b/.test(t) ? "screen" : "backtest";
  const fallback = intents.length === 0;
  if (fallback) intents.push({ kind: "ma-cross", fast: 20, slow: 50, average: "sma" });
  return {
    request,
    intents,
    stopLossPct: stopLossPct === null ? null : clampTo(stopLossPct, 0.5, 50),
    takeProfitPct: takeProfitPct === null ? null : clampTo(takeProfitPct, 0.5, 200),
    symbols: tickers(request),
    mode,
    fallback,
  };
}
