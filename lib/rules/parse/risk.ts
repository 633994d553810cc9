/**
 * Risk phrases: stops, targets, trailing stops and time exits ("8% stop loss", "2 ATR trailing
 * stop", "take profit at 25%", "hold for 10 days"), and ranking phrases for screens.
 */
import type { Distance, Score } from "../schema";
import { at, endOf, NUM, SPAN, toBars, UNIT, type Hit } from "./lexicon";
import { readSeries, type PeriodMemory } from "./series";

/** One risk element. */
export type Risk =
  | { kind: "stopLoss"; distance: Distance }
  | { kind: "takeProfit"; distance: Distance }
  | { kind: "trailingStop"; distance: Distance }
  | { kind: "maxHoldBars"; bars: number };

const DIST = String.raw`(?:(?:a|an|of|at|@|is|to|by|with|set at|placed) )*${NUM}(%|x? atr(?: (\d+))?| atr(?: (\d+))?)`;

function distance(n: string, unit: string, atrPeriod: string | undefined): Distance {
  if (unit === "%") return { unit: "pct", value: Number(n) };
  return { unit: "atr", value: Number(n), period: atrPeriod ? Number(atrPeriod) : 14 };
}

type Reader = (text: string, pos: number) => Hit<Risk> | null;

const distanceReader =
  (kind: "stopLoss" | "takeProfit" | "trailingStop", word: string): Reader =>
  (text, pos) => {
    const before = at(
      text,
      pos,
      String.raw`(?:(?:a|an|with|use|using|and|plus) )*${NUM}(%|x? atr(?: (\d+))?)(?: (?:hard|fixed|initial|protective))? ${word}`,
    );
    const after = at(
      text,
      pos,
      String.raw`(?:(?:a|an|with|use|using|and|plus|hard|fixed|initial|protective) )*${word}(?: (?:loss|order|level))? ${DIST}(?: (?:below|above|from|under|over) (?:the )?(?:entry|purchase|buy)(?: price)?)?`,
    );
    const m = before ?? after;
    if (!m) return null;
    const d = distance(m[1], m[2].trim(), m[3] ?? m[4]);
    const assumed = d.unit === "atr" && !(m[3] ?? m[4]) ? ["ATR period not given: 14 (the usual)"] : [];
    return { value: { kind, distance: d } as Risk, end: endOf(m), assumed };
  };

const READERS: Reader[] = [
  distanceReader("trailingStop", "trailstop"),
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`trail(?:ing)?(?: the stop| it| a stop)?(?: by| at)? ${NUM}(%|x? atr(?: (\d+))?)`,
    );
    return m ? { value: { kind: "trailingStop", distance: distance(m[1], m[2].trim(), m[3]) }, end: endOf(m) } : null;
  },
  distanceReader("stopLoss", "stop"),
  distanceReader("takeProfit", "target"),
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:(?:sell|exit|take profits?|or) )?(?:at|on|with|after) (?:a )?${NUM}% (?:gain|profit|return|rise)`,
    );
    return m ? { value: { kind: "takeProfit", distance: { unit: "pct", value: Number(m[1]) } }, end: endOf(m) } : null;
  },
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:sell|exit|stop out|get out|cut (?:it|the loss|losses)) (?:if|when|once|on) (?:it |price |the stock |the position )?(?:falls|drops|declines|is down|loses|goes down)(?: by| more than)? ${NUM}%(?: (?:below|from|under) (?:the )?(?:entry|purchase)(?: price)?)?`,
    );
    return m ? { value: { kind: "stopLoss", distance: { unit: "pct", value: Number(m[1]) } }, end: endOf(m) } : null;
  },
  // "exit the next day": one bar
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:exit|sell|close(?: the position)?|get out)(?: on| at)? the (?:next|following) (?:day|bar|session|open|close)`,
    );
    return m ? { value: { kind: "maxHoldBars", bars: 1 }, end: endOf(m) } : null;
  },
  // "max 10 days", "maximum 3 weeks"
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:a |with a |and )?max(?:imum)?(?: of| hold(?:ing)?(?: time| period)?(?: of)?)? (\d+) ${UNIT}`,
    );
    return m ? { value: { kind: "maxHoldBars", bars: toBars(Number(m[1]), m[2]) }, end: endOf(m) } : null;
  },
  // time exits
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:(?:and |then )?(?:hold|holding|keep|keeping)(?: it| them| the position| positions| the trade)? (?:for )?(?:up to |at most |a maximum of |max |no more than )?${SPAN}|(?:exit|sell|close(?: the position)?|get out) (?:after|in|within) (?:at most |a maximum of |max )?${SPAN}|(?:a )?(?:max(?:imum)? )?(?:holding period|hold time|time stop|time exit)(?: of)? ${SPAN}|(?:a )?${SPAN} (?:time stop|time exit|max(?:imum)? hold(?:ing period)?|holding period))`,
    );
    if (!m) return null;
    const [n, unit] = m[1] ? [m[1], m[2]] : m[3] ? [m[3], m[4]] : m[5] ? [m[5], m[6]] : [m[7], m[8]];
    if (!unit && !m[5] && !m[7]) return null;
    return { value: { kind: "maxHoldBars", bars: toBars(Number(n), unit) }, end: endOf(m) };
  },
];

/** A risk phrase at `pos`, or null. */
export function readRisk(text: string, pos: number): Hit<Risk> | null {
  for (const read of READERS) {
    const hit = read(text, pos);
    if (hit) return hit;
  }
  return null;
}

/** "rank by the 60 day return", "sorted by lowest pe", "score by rsi". */
export function readScore(text: string, pos: number, memory?: PeriodMemory): Hit<Score> | null {
  const m = at(
    text,
    pos,
    String.raw`(?:and )?(?:rank|ranked|ranking|sort|sorted|sorting|score|scored|scoring|order|ordered)(?: them| stocks| results| the list| candidates)? by(?: the)? ?(highest|lowest|strongest|weakest|largest|smallest|biggest|best|top|most|least|high|low)?`,
  );
  if (!m) return null;
  const s = readSeries(text, endOf(m), { memory });
  if (!s) return null;
  const order = m[1] && /lowest|weakest|smallest|least|low/.test(m[1]) ? "low" : "high";
  return { value: { series: s.value, order }, end: s.end, assumed: s.assumed };
}
