/**
 * Condition phrases: comparisons between series ("RSI(14) below 30", "the 50-day SMA crosses
 * above the 200-day", "volume above 2x its 20-day average", "closes 2 std below its 20-day
 * mean"), after the price patterns of ./patterns.ts. Each reader returns a condition block and
 * where the phrase ends.
 */
import type { Condition, Operand, Series } from "../schema";
import { at, endOf, money, NUM, SIZE, VERB, type Hit } from "./lexicon";
import { close, PATTERNS } from "./patterns";
import { readImpliedAverage, readSeries, type PeriodMemory } from "./series";

const ABOVE = String.raw`(?:strictly )?(above|over|greater than|higher than|more than|exceeds?|exceeding|>=?|at least|bigger than|north of|to at least|beyond)`;
const BELOW = String.raw`(?:strictly )?(below|under|less than|lower than|<=?|at most|beneath|south of|smaller than|no more than)`;
const CROSS_UP = String.raw`(?:crosses|cross|crossed|crossing|breaks|break|broke|breaking|moves|move|rises|rise|climbs|climb|jumps|pops|pushes|goes) (?:back )?(?:above|over|through|up through|up above)|crosses up(?:ward)?(?: through| above)?|crossover(?: above)?`;
const CROSS_DOWN = String.raw`(?:crosses|cross|crossed|crossing|breaks|break|broke|falls|fall|drops|drop|dips|dip|moves|move|sinks|slips|goes) (?:back )?(?:below|under|beneath|down through)|crosses down(?:ward)?(?: through| below)?|crossunder`;

type Dir = "above" | "below";

/** The right-hand side of a comparison, read in the context of its left-hand side. */
function readOperand(
  text: string,
  pos: number,
  left: Series,
  allowLevel: boolean,
  memory?: PeriodMemory,
): Hit<Operand> | null {
  const ctx = {
    field: left.kind === "price" ? left.field : left.kind === "ma" ? left.field : undefined,
    indicatorLeft: left.kind !== "price" && left.kind !== "ma" && left.kind !== "fundamental",
    memory,
  };
  // "2x (its 20 day) average", "1.5x", "1.05 * sma(20)"
  const times = at(text, pos, String.raw`${NUM}(?:x| ?\*)(?: (?:the|its|their))?`);
  if (times) {
    const s = readSeries(text, endOf(times), ctx) ?? implicitAverage(text, endOf(times), left);
    if (s)
      return { value: { kind: "series", series: s.value, times: Number(times[1]) }, end: s.end, assumed: s.assumed };
    return null;
  }
  // "200% of its 20 day average"
  const pctOf = at(text, pos, String.raw`${NUM}% of(?: (?:the|its|their))?`);
  if (pctOf) {
    const s = readSeries(text, endOf(pctOf), ctx) ?? implicitAverage(text, endOf(pctOf), left);
    if (s)
      return {
        value: { kind: "series", series: s.value, times: Number(pctOf[1]) / 100 },
        end: s.end,
        assumed: s.assumed,
      };
    return null;
  }
  const s = readSeries(text, pos, ctx);
  if (s && !(s.value.kind === "price" && s.value.lag === 0 && left.kind === "price" && s.value.field === left.field)) {
    return { value: { kind: "series", series: s.value }, end: s.end, assumed: s.assumed };
  }
  const implied = readImpliedAverage(text, pos, left);
  if (implied) return { value: { kind: "series", series: implied.value }, end: implied.end };
  if (!allowLevel) return null;
  const lvl = at(text, pos, String.raw`(-?${NUM})(%)?${SIZE}`);
  // "more than 1.5 ATR below …": the number is an amount for a later comparison, not a level
  if (lvl && at(text, endOf(lvl), String.raw`(?:[a-z%]+ )?(?:\d+ )?(?:above|below|under|over|beneath)`)) return null;
  if (lvl) return { value: { kind: "level", value: money(lvl[1], lvl[4]) }, end: endOf(lvl) };
  return null;
}

/** "average" with nothing else after a volume: the 20-bar average of the left field. */
function implicitAverage(text: string, pos: number, left: Series): Hit<Series> | null {
  if (left.kind !== "price") return null;
  const m = at(text, pos, String.raw`(?:the |its |their )?(?:average|avg|normal|usual|mean)(?: volume)?`);
  return m
    ? {
        value: { kind: "ma", type: "sma", field: left.field, period: 20 },
        end: endOf(m),
        assumed: ["averaging window not given: 20 (the usual)"],
      }
    : null;
}

/** left [verb] [amount] comparator right. */
export function readComparison(
  text: string,
  pos: number,
  left: Hit<Series>,
  memory?: PeriodMemory,
): Hit<Condition> | null {
  let p = left.end;
  const verb = at(text, p, VERB);
  if (verb) p = endOf(verb);
  const assumed = [...(left.assumed ?? [])];
  const done = (c: Condition, end: number, more?: string[]): Hit<Condition> => ({
    value: c,
    end,
    assumed: [...assumed, ...(more ?? [])],
  });
  // crosses above / below
  for (const [re, dir] of [
    [CROSS_UP, "above"],
    [CROSS_DOWN, "below"],
  ] as const) {
    const m = at(text, p, re);
    if (!m) continue;
    const zero = at(text, endOf(m), String.raw`(?:the )?(?:zero|0)(?: line)?`);
    if (zero) return done({ kind: "cross", left: left.value, dir, right: { kind: "level", value: 0 } }, endOf(zero));
    const r = readOperand(text, endOf(m), left.value, true, memory);
    if (r) return done({ kind: "cross", left: left.value, dir, right: r.value }, r.end, r.assumed);
  }
  // "crosses the 21 day EMA from below / above"
  const crossFrom = at(text, p, String.raw`(?:crosses|cross|crossed|crossing)`);
  if (crossFrom) {
    const r = readOperand(text, endOf(crossFrom), left.value, true, memory);
    const from = r
      ? at(text, r.end, String.raw`(?:from )?(below|above|underneath|upward|downward|to the upside|to the downside)`)
      : null;
    if (r && from) {
      const dir: Dir = /below|underneath|upward|upside/.test(from[1]) ? "above" : "below";
      return done({ kind: "cross", left: left.value, dir, right: r.value }, endOf(from), r.assumed);
    }
  }
  // turns positive / negative
  const turn = at(
    text,
    p,
    String.raw`(?:turns|turned|turning|goes|flips|becomes|crosses) (positive|negative)|crosses (?:the )?(?:zero|0)(?: line)?( from below)?`,
  );
  if (turn)
    return done(
      {
        kind: "cross",
        left: left.value,
        dir: turn[1] === "negative" ? "below" : "above",
        right: { kind: "level", value: 0 },
      },
      endOf(turn),
    );
  // between
  const btw = at(text, p, String.raw`between ${NUM} and ${NUM}`);
  if (btw) {
    const [a, b] = [Number(btw[1]), Number(btw[2])];
    return done({ kind: "between", left: left.value, low: Math.min(a, b), high: Math.max(a, b) }, endOf(btw));
  }
  // rises / falls for N bars
  const tr = at(
    text,
    p,
    String.raw`(?:has )?(rises|rising|risen|rose|increases|increasing|climbs|goes up|falls|falling|fallen|fell|declines|declining|drops|dropping|goes down)(?: for)? (\d+) (?:consecutive |straight )?(?:bars?|days?|sessions?|periods?)(?: in a row| straight)?`,
  );
  if (tr)
    return done(
      {
        kind: "trend",
        left: left.value,
        dir: /ris|rose|incr|climb|up/.test(tr[1]) ? "rising" : "falling",
        bars: Number(tr[2]),
      },
      endOf(tr),
    );
  // [amount] above / below: "2 std below its 20 day mean", "3% above the 50 day sma"
  // is positive / negative
  const sign = at(text, p, String.raw`(positive|negative|above zero|below zero|greater than zero|less than zero)`);
  if (sign)
    return done(
      {
        kind: "compare",
        left: left.value,
        op: /positive|above|greater/.test(sign[1]) ? "above" : "below",
        right: { kind: "level", value: 0 },
      },
      endOf(sign),
    );
  const amt = at(
    text,
    p,
    String.raw`(?:(?:falls|drops|dips|sinks|rises|climbs|moves|trades|sits|is) )?(?:(more than|at least|over|by|by more than|by at least|less than|no more than|at most|under) )?${NUM}(%| std|x| ?x? atrs?(?: (\d+))?) (above|over|below|under|beneath)`,
  );
  if (amt) {
    // "less than 5% above X" keeps the distance but flips the test: the value stays under X + 5%
    const within = amt[1] !== undefined && /less|no more|at most|under/.test(amt[1]);
    const side: Dir = amt[5] === "above" || amt[5] === "over" ? "above" : "below";
    const dir: Dir = within ? (side === "above" ? "below" : "above") : side;
    const offset = (x: number) => (side === "above" ? x : -x);
    const r = readOperand(text, endOf(amt), left.value, false, memory);
    if (r && r.value.kind === "series") {
      const x = Number(amt[2]);
      if (amt[3] === " std") {
        const mean = r.value.series;
        if (mean.kind !== "ma" || mean.type !== "sma" || left.value.kind !== "price" || left.value.field !== mean.field)
          return null;
        return done(
          {
            kind: "compare",
            left: { kind: "zscore", field: mean.field, period: mean.period },
            op: dir,
            right: { kind: "level", value: offset(x) },
          },
          r.end,
          r.assumed,
        );
      }
      if (/atr/.test(amt[3])) {
        const period = amt[4] ? Number(amt[4]) : 14;
        const more = amt[4] ? [] : ["ATR period not given: 14 (the usual)"];
        return done(
          {
            kind: "compare",
            left: left.value,
            op: dir,
            right: { ...r.value, atrs: { value: offset(x), period } },
          },
          r.end,
          [...(r.assumed ?? []), ...more],
        );
      }
      if (amt[3] === "%")
        return done(
          { kind: "compare", left: left.value, op: dir, right: { ...r.value, pct: offset(x) } },
          r.end,
          r.assumed,
        );
      if (dir === "above" && !within)
        return done(
          { kind: "compare", left: left.value, op: "above", right: { ...r.value, times: x } },
          r.end,
          r.assumed,
        );
      return null;
    }
    return null;
  }
  // above / below
  for (const [re, dir] of [
    [ABOVE, "above"],
    [BELOW, "below"],
  ] as const) {
    const m = at(text, p, re);
    if (!m) continue;
    const r = readOperand(text, endOf(m), left.value, true, memory);
    if (!r) continue;
    // "below the 20 day SMA by more than 3%"
    const by =
      r.value.kind === "series" &&
      r.value.pct === undefined &&
      r.value.times === undefined &&
      r.value.atrs === undefined
        ? at(text, r.end, String.raw`by (?:more than |at least |over )?${NUM}%`)
        : null;
    if (by && r.value.kind === "series") {
      const x = Number(by[1]);
      return done(
        { kind: "compare", left: left.value, op: dir, right: { ...r.value, pct: dir === "above" ? x : -x } },
        endOf(by),
        r.assumed,
      );
    }
    return done({ kind: "compare", left: left.value, op: dir, right: r.value }, r.end, r.assumed);
  }
  return null;
}

/** A condition phrase starting at `pos`: a pattern, or a series followed by a comparison. */
export function readCondition(
  text: string,
  pos: number,
  previousCondition: Condition | null = null,
  allowImplicitClose = true,
  memory?: PeriodMemory,
): Hit<Condition> | null {
  // "it" / "they" after a condition: the same left-hand side ("sell when it turns negative")
  const prev = previousCondition && "left" in previousCondition ? previousCondition : null;
  const pronoun = prev ? at(text, pos, String.raw`(?:it|they|this|that|the indicator|the reading)`) : null;
  if (pronoun && prev) {
    const again = readComparison(text, pos, { value: prev.left, end: endOf(pronoun) }, memory);
    if (again) return again;
    // "sell when it is below": the same reference as before, other side
    const bare = at(
      text,
      endOf(pronoun),
      String.raw`(?:is |goes |closes |trades |falls |drops |gets )?(?:back )?(above|over|below|under)(?=\s*(?:[.;,]|$))`,
    );
    if (bare && (prev.kind === "compare" || prev.kind === "cross")) {
      const op = /above|over/.test(bare[1]) ? "above" : "below";
      return { value: { kind: "compare", left: prev.left, op, right: prev.right }, end: endOf(bare) };
    }
  }
  for (const read of PATTERNS) {
    const hit = read(text, pos);
    if (hit) return hit;
  }
  const left = readSeries(text, pos, { memory });
  if (left) {
    const cmp = readComparison(text, pos, left, memory);
    if (cmp) return cmp;
    // a series whose comparison cannot be read is not understood: never compare the close instead
    if (!(left.value.kind === "price" && left.value.field === "close" && left.value.lag === 0)) return null;
  }
  // no left-hand side: "above the 200 day sma" reads the close (not right after words not understood: they may be its subject)
  if (!allowImplicitClose) return null;
  const bare = at(text, pos, String.raw`(?:(?:price |it |the stock |shares )?(?:is |trades |closes |stays )?)`);
  const p = bare ? endOf(bare) : pos;
  const implicit = readComparison(text, p, { value: close, end: p }, memory);
  const c = implicit?.value;
  if (
    implicit &&
    c &&
    (c.kind === "compare" || c.kind === "cross") &&
    c.right.kind === "series" &&
    c.right.times === undefined
  )
    return implicit;
  return null;
}
