/**
 * Condition phrases: comparisons between series ("RSI(14) below 30", "the 50-day SMA crosses
 * above the 200-day", "volume above 2x its 20-day average", "closes 2 std below its 20-day
 * mean") and price patterns (gaps, streaks, new highs, distance from a high, momentum over a
 * window). Each reader returns a condition block and where the phrase ends.
 */
import type { Condition, Operand, Series } from "../schema";
import { at, endOf, money, NUM, SIZE, SPAN, toBars, type Hit } from "./lexicon";
import { readImpliedAverage, readSeries } from "./series";

const VERB = String.raw`(?:(?:is|are|was|back|closes|close|closed|closing|trades|trading|trade|moves|stays|remains|holds|sits|goes|reads|prints|comes in|gets|has|been|be|to|still) )*`;
const ABOVE = String.raw`(?:strictly )?(above|over|greater than|higher than|more than|exceeds?|exceeding|>=?|at least|bigger than|north of|to at least|beyond)`;
const BELOW = String.raw`(?:strictly )?(below|under|less than|lower than|<=?|at most|beneath|south of|smaller than|no more than)`;
const CROSS_UP = String.raw`(?:crosses|cross|crossed|crossing|breaks|break|broke|breaking|moves|move|rises|rise|climbs|climb|jumps|pops|pushes|goes) (?:back )?(?:above|over|through|up through|up above)|crosses up(?:ward)?(?: through| above)?|crossover(?: above)?`;
const CROSS_DOWN = String.raw`(?:crosses|cross|crossed|crossing|breaks|break|broke|falls|fall|drops|drop|dips|dip|moves|move|sinks|slips|goes) (?:back )?(?:below|under|beneath|down through)|crosses down(?:ward)?(?: through| below)?|crossunder`;

type Dir = "above" | "below";

/** The right-hand side of a comparison, read in the context of its left-hand side. */
function readOperand(text: string, pos: number, left: Series, allowLevel: boolean): Hit<Operand> | null {
  const ctx = { field: left.kind === "price" ? left.field : left.kind === "ma" ? left.field : undefined };
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
export function readComparison(text: string, pos: number, left: Hit<Series>): Hit<Condition> | null {
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
    const r = readOperand(text, endOf(m), left.value, true);
    if (r) return done({ kind: "cross", left: left.value, dir, right: r.value }, r.end, r.assumed);
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
    String.raw`(?:(?:falls|drops|dips|sinks|rises|climbs|moves|trades|sits|is) )?(?:(?:more than|at least|over|by|by more than|by at least) )?${NUM}(%| std|x| ?x? atrs?(?: (\d+))?) (above|over|below|under|beneath)`,
  );
  if (amt) {
    const dir: Dir = amt[4] === "above" || amt[4] === "over" ? "above" : "below";
    const r = readOperand(text, endOf(amt), left.value, false);
    if (r && r.value.kind === "series") {
      const x = Number(amt[1]);
      if (amt[2] === " std") {
        const mean = r.value.series;
        if (mean.kind !== "ma" || mean.type !== "sma" || left.value.kind !== "price" || left.value.field !== mean.field)
          return null;
        return done(
          {
            kind: "compare",
            left: { kind: "zscore", field: mean.field, period: mean.period },
            op: dir,
            right: { kind: "level", value: dir === "above" ? x : -x },
          },
          r.end,
          r.assumed,
        );
      }
      if (/atr/.test(amt[2])) {
        const period = amt[3] ? Number(amt[3]) : 14;
        const more = amt[3] ? [] : ["ATR period not given: 14 (the usual)"];
        return done(
          {
            kind: "compare",
            left: left.value,
            op: dir,
            right: { ...r.value, atrs: { value: dir === "above" ? x : -x, period } },
          },
          r.end,
          [...(r.assumed ?? []), ...more],
        );
      }
      if (amt[2] === "%")
        return done(
          { kind: "compare", left: left.value, op: dir, right: { ...r.value, pct: dir === "above" ? x : -x } },
          r.end,
          r.assumed,
        );
      if (dir === "above")
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
    const r = readOperand(text, endOf(m), left.value, true);
    if (r) return done({ kind: "compare", left: left.value, op: dir, right: r.value }, r.end, r.assumed);
  }
  return null;
}

type Reader = (text: string, pos: number) => Hit<Condition> | null;

const close: Series = { kind: "price", field: "close", lag: 0 };
const highest = (period: number): Series => ({ kind: "highest", field: "high", period });
const lowest = (period: number): Series => ({ kind: "lowest", field: "low", period });
const volAvg = (period: number): Series => ({ kind: "ma", type: "sma", field: "volume", period });
const PCT_WINDOW = String.raw`(?:by )?(?:more than |at least |over |greater than )?${NUM}% (?:or more )?(?:over|in|during|across|within|for) (?:the )?(?:last |past |prior |previous )?${SPAN}`;

/** Pattern readers, tried before the general comparison. */
const PATTERNS: Reader[] = [
  // golden / death cross
  (text, pos) => {
    const m = at(text, pos, String.raw`(?:a |the )?(golden|death) cross`);
    if (!m) return null;
    const fast: Series = { kind: "ma", type: "sma", field: "close", period: 50 };
    const slow: Series = { ...fast, period: 200 };
    return {
      value: {
        kind: "cross",
        left: fast,
        dir: m[1] === "golden" ? "above" : "below",
        right: { kind: "series", series: slow },
      },
      end: endOf(m),
    };
  },
  // "50/200 sma crossover", "the 10 and 30 day ema cross"
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:a |the )?(\d+) ?(?:\/|and|&|over) ?(\d+)(?: (?:day|bar|period))?s?(?: (sma|ema|wma))?(?: (?:crossover|cross|crossing|cross over))(?: (up|down|above|below|upward|downward))?(?: (?:of|on|with|using) (?:the )?(sma|ema|wma))?`,
    );
    if (!m) return null;
    const type = (m[3] ?? m[5] ?? "sma") as "sma";
    const fast: Series = { kind: "ma", type, field: "close", period: Math.min(Number(m[1]), Number(m[2])) };
    const slow: Series = { ...fast, period: Math.max(Number(m[1]), Number(m[2])) };
    const dir = m[4] && /down|below/.test(m[4]) ? "below" : "above";
    return {
      value: { kind: "cross", left: fast, dir, right: { kind: "series", series: slow } },
      end: endOf(m),
      assumed: m[3] || m[5] ? [] : ["average type not given: simple (SMA)"],
    };
  },
  // gaps: "gaps up more than 3%", "a 3% gap up", "opens 2% higher"
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:gaps?|gapped|gapping|opens?|opened) (up|down|higher|lower)(?: (?:by |of )?(?:more than |at least |over )?${NUM}%(?: or more)?)?|(?:an? )?${NUM}%(?: or (?:more|larger|bigger))? (?:opening )?gap(?: (up|down|higher|lower))?|(?:an? )?gap (up|down)(?: of| by)? (?:more than |at least |over )?${NUM}%|opens? (?:more than |at least )?${NUM}% (above|higher than|below|lower than) (?:the )?prevclose`,
    );
    if (!m) return null;
    const word = m[1] ?? m[4] ?? m[5] ?? m[8] ?? "up";
    const dir = /up|higher|above/.test(word) ? "up" : "down";
    const raw = m[2] ?? m[3] ?? m[6] ?? m[7];
    const assumed = raw ? [] : ["gap size not given: at least 2%"];
    return { value: { kind: "gap", dir, pct: raw ? Number(raw) : 2 }, end: endOf(m), assumed };
  },
  // streaks: "3 consecutive down days", "closes higher 2 days in a row", "falls 4 days in a row"
  (text, pos) => {
    const a = at(
      text,
      pos,
      String.raw`(?:after )?(\d+) (?:consecutive |straight |successive )?(up|down|green|red|higher|lower|positive|negative|rising|falling|losing|winning) (?:days|closes|bars|sessions|candles|day|close|bar)(?: in a row| straight)?`,
    );
    const b = at(
      text,
      pos,
      String.raw`(?:closes? |closed |finishes )?(higher|lower|up|down|rises|falls|drops|declines|gains|climbs)(?: for)? (\d+) (?:consecutive |straight )?(?:days|bars|sessions|times)(?: in a row| straight)?`,
    );
    const c = at(text, pos, String.raw`(\d+) (?:days|bars|sessions) in a row of (higher|lower|up|down) closes`);
    const m = a ?? b ?? c;
    if (!m) return null;
    const [n, word] = a ? [a[1], a[2]] : b ? [b[2], b[1]] : [m[1], m[2]];
    const rising = /up|green|higher|positive|rising|winning|rises|gains|climbs/.test(word);
    return {
      value: { kind: "trend", left: close, dir: rising ? "rising" : "falling", bars: Number(n) },
      end: endOf(m),
    };
  },
  // distance from a high / low: "within 5% of its 52 week high", "at least 20% below the 52 week high"
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`${VERB}(?:within|no more than|less than|at most) ${NUM}% (?:of|from|below|off|under) (?:its |the |a |their )?${SPAN} (high|low)`,
    );
    if (!m) return null;
    const x = Number(m[1]);
    const period = toBars(Number(m[2]), m[3]);
    if (m[4] === "high")
      return {
        value: {
          kind: "compare",
          left: close,
          op: "above",
          right: { kind: "series", series: highest(period), pct: -x },
        },
        end: endOf(m),
      };
    return {
      value: { kind: "compare", left: close, op: "below", right: { kind: "series", series: lowest(period), pct: x } },
      end: endOf(m),
    };
  },
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`${VERB}(?:at least |more than |over |down )?${NUM}% (below|off|under|beneath|from|above|over) (?:its |the |a |their )?${SPAN} (high|low)`,
    );
    if (!m) return null;
    const x = Number(m[1]);
    const period = toBars(Number(m[3]), m[4]);
    if (m[5] === "high" && !/above|over/.test(m[2]))
      return {
        value: {
          kind: "compare",
          left: close,
          op: "below",
          right: { kind: "series", series: highest(period), pct: -x },
        },
        end: endOf(m),
      };
    if (m[5] === "low" && /above|over|off|from/.test(m[2]))
      return {
        value: { kind: "compare", left: close, op: "above", right: { kind: "series", series: lowest(period), pct: x } },
        end: endOf(m),
      };
    return null;
  },
  // breakouts: "donchian channel breakout on the 55 day high", "new 52 week high", "breaks out above the 20 day high"
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:(?:the )?(?:close|price|stock|shares) (?:is )?)?(?:(?:closes?|closing|breaks? out|breakout|makes?|making|hits?|hitting|sets?|reaches?|prints?) )?(?:(?:at|to|on|above|of|over|with|into) )?(?:an? |the |its |their )?new (?:closing )?${SPAN} (high|low)s?|(?:(?:a |the )?(?:donchian (?:channel )?)?(?:breakout|breakdown|breaks? (?:out|down)|break) (?:on|above|over|of|to|below|under|beyond|through) (?:the |a |its )?(?:new )?${SPAN} (high|low|donchian (?:high|low))s?)|(?:the |a )?${SPAN} (?:donchian (?:channel )?)?(high|low|channel)? ?(?:breakout|breakdown)`,
    );
    if (!m) return null;
    const n = m[1] ?? m[4] ?? m[7];
    const unit = m[2] ?? m[5] ?? m[8];
    const word = m[3] ?? m[6] ?? m[9] ?? (m[0].includes("breakdown") ? "low" : "high");
    const period = toBars(Number(n), unit);
    if (word.includes("low"))
      return {
        value: { kind: "compare", left: close, op: "below", right: { kind: "series", series: lowest(period) } },
        end: endOf(m),
      };
    return {
      value: { kind: "compare", left: close, op: "above", right: { kind: "series", series: highest(period) } },
      end: endOf(m),
    };
  },
  // momentum over a window: "up more than 20% over 60 days", "down 10% in the last 5 days", "a 15% gain over 3 months"
  (text, pos) => {
    const up = at(
      text,
      pos,
      String.raw`${VERB}(?:up|gained|gains?|rose|risen|rallied|climbed|advanced|increased|jumped|surged|higher) ${PCT_WINDOW}`,
    );
    const down = at(
      text,
      pos,
      String.raw`${VERB}(?:down|lost|fell|fallen|dropped|declined|decreased|lower|sold off) ${PCT_WINDOW}`,
    );
    const noun = at(
      text,
      pos,
      String.raw`(?:an? )?(?:more than |at least |over )?${NUM}% (gain|rise|rally|advance|return|move up|drop|decline|fall|loss) (?:over|in|during|within) (?:the )?(?:last |past |prior |previous )?${SPAN}`,
    );
    if (up || down) {
      const m = (up ?? down) as RegExpExecArray;
      const x = Number(m[1]);
      const roc: Series = { kind: "roc", field: "close", period: toBars(Number(m[2]), m[3]) };
      return {
        value: { kind: "compare", left: roc, op: up ? "above" : "below", right: { kind: "level", value: up ? x : -x } },
        end: endOf(m),
      };
    }
    if (noun) {
      const isUp = /gain|rise|rally|advance|return|up/.test(noun[2]);
      const roc: Series = { kind: "roc", field: "close", period: toBars(Number(noun[3]), noun[4]) };
      const x = Number(noun[1]);
      return {
        value: {
          kind: "compare",
          left: roc,
          op: isUp ? "above" : "below",
          right: { kind: "level", value: isUp ? x : -x },
        },
        end: endOf(noun),
      };
    }
    return null;
  },
  // volume without a comparator: "on 1.5x volume", "2x average volume", "volume spike of 2x average"
  (text, pos) => {
    const a = at(
      text,
      pos,
      String.raw`(?:on |with )?(?:a |an )?(?:volume (?:spike|surge|burst) (?:of )?)?(?:at least |more than |over )?${NUM}x (?:(?:the |its |their )?(?:${SPAN} )?(?:average|avg|normal|usual|mean|typical) )?(?:daily )?volume`,
    );
    const b = at(
      text,
      pos,
      String.raw`(?:on |with )?(?:a )?volume(?: spike| surge| burst)?(?: of| at| is| that is)? (?:at least |more than |over )?${NUM}x (?:(?:the |its |their )?(?:${SPAN} )?(?:average|avg|normal|usual|mean|typical))?(?: volume)?`,
    );
    const m = a ?? b;
    if (!m) return null;
    const assumed = m[2] ? [] : ["averaging window not given: 20 (the usual)"];
    const period = m[2] ? toBars(Number(m[2]), m[3]) : 20;
    return {
      value: {
        kind: "compare",
        left: { kind: "price", field: "volume", lag: 0 },
        op: "above",
        right: { kind: "series", series: volAvg(period), times: Number(m[1]) },
      },
      end: endOf(m),
      assumed,
    };
  },
  // "above average volume", "high volume" (read as 1.5x the 20-day average, and said so)
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:on |with )?(?:an? )?(above[ -]average|higher than average|high|heavy|strong|big|large|huge|rising|increasing|unusual|elevated) volume`,
    );
    if (!m) return null;
    const above = /average/.test(m[1]);
    const right: Operand = { kind: "series", series: volAvg(20), ...(above ? {} : { times: 1.5 }) };
    const assumed = above
      ? ["average volume window not given: 20 days"]
      : [`"${m[1]} volume" read as volume at least 1.5x its 20-day average`];
    if (/rising|increasing/.test(m[1])) return null;
    return {
      value: { kind: "compare", left: { kind: "price", field: "volume", lag: 0 }, op: "above", right },
      end: endOf(m),
      assumed,
    };
  },
  // RSI oversold / overbought
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:the )?(?:(\d+) (?:day |period |bar )?)?rsi (?:is |gets |goes )?(?:in )?(oversold|overbought)(?: territory)?|(oversold|overbought) (?:on (?:the )?)?(?:(\d+) (?:day |period )?)?rsi`,
    );
    if (!m) return null;
    const over = (m[2] ?? m[3]) === "overbought";
    const p = m[1] ?? m[4];
    const assumed = [
      `${over ? "overbought" : "oversold"} read as RSI ${over ? "above 70" : "below 30"}`,
      ...(p ? [] : ["RSI period not given: 14 (the usual)"]),
    ];
    return {
      value: {
        kind: "compare",
        left: { kind: "rsi", period: p ? Number(p) : 14 },
        op: over ? "above" : "below",
        right: { kind: "level", value: over ? 70 : 30 },
      },
      end: endOf(m),
      assumed,
    };
  },
];

/** A condition phrase starting at `pos`: a pattern, or a series followed by a comparison. */
export function readCondition(
  text: string,
  pos: number,
  previousCondition: Condition | null = null,
): Hit<Condition> | null {
  // "it" / "they" after a condition: the same left-hand side ("sell when it turns negative")
  const prev = previousCondition && "left" in previousCondition ? previousCondition : null;
  const pronoun = prev ? at(text, pos, String.raw`(?:it|they|this|that|the indicator|the reading)`) : null;
  if (pronoun && prev) {
    const again = readComparison(text, pos, { value: prev.left, end: endOf(pronoun) });
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
  const left = readSeries(text, pos);
  if (left) {
    const cmp = readComparison(text, pos, left);
    if (cmp) return cmp;
  }
  // no left-hand side: "above the 200 day sma" reads the close
  const bare = at(text, pos, String.raw`(?:(?:price |it |the stock |shares )?(?:is |trades |closes |stays )?)`);
  const p = bare ? endOf(bare) : pos;
  const implicit = readComparison(text, p, { value: close, end: p });
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
