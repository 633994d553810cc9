/**
 * Price-pattern phrases tried before the general comparison: golden/death and "50/200" crosses,
 * gaps, streaks of up/down closes, distance from a high or low, breakouts to new highs or lows,
 * momentum over a window, volume spikes without a comparator, RSI oversold/overbought.
 */
import type { Condition, Operand, Series } from "../schema";
import { at, endOf, NUM, SPAN, toBars, VERB, type Hit } from "./lexicon";

type Reader = (text: string, pos: number) => Hit<Condition> | null;

export const close: Series = { kind: "price", field: "close", lag: 0 };
const highest = (period: number): Series => ({ kind: "highest", field: "high", period });
const lowest = (period: number): Series => ({ kind: "lowest", field: "low", period });
const volAvg = (period: number): Series => ({ kind: "ma", type: "sma", field: "volume", period });
const PCT_WINDOW = String.raw`(?:by )?(?:more than |at least |over |greater than )?${NUM}% (?:or more )?(?:over|in|during|across|within|for) (?:the )?(?:last |past |prior |previous )?${SPAN}`;

/** Pattern readers, tried before the general comparison. */
export const PATTERNS: Reader[] = [
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
  // "MACD bullish crossover", "a bearish MACD cross": the MACD line crossing its signal line
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:an? |the )?(?:(bullish|bearish) macd|macd (?:line )?(bullish|bearish)) (?:signal line )?(?:crossover|cross|crossing)`,
    );
    if (!m) return null;
    const bull = (m[1] ?? m[2]) === "bullish";
    const line = (l: "macd" | "signal"): Series => ({ kind: "macd", line: l, fast: 12, slow: 26, signal: 9 });
    return {
      value: {
        kind: "cross",
        left: line("macd"),
        dir: bull ? "above" : "below",
        right: { kind: "series", series: line("signal") },
      },
      end: endOf(m),
      assumed: [
        "MACD periods not given: 12, 26, 9 (the usual)",
        `a ${bull ? "bullish" : "bearish"} MACD crossover read as the MACD line crossing ${bull ? "above" : "below"} its signal line`,
      ],
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
      String.raw`(?:(?:the )?(?:close|price|stock|shares) (?:is )?)?(?:(?:(?:closes?|closing|breaks? out|breakout|makes?|making|hits?|hitting|sets?|reaches?|prints?) )?(?:(?:at|to|on|above|of|over|with|into) )?(?:an? |the |its |their )?new (?:closing )?${SPAN} (high|low)s?|(?:makes?|making|hits?|hitting|sets?|setting|reaches?|reaching|at) (?:an? |the |its |their )?${SPAN} (high|low)s?|(?:(?:a |the )?(?:breakout|breaks? out) (?:of|from|above) (?:an? |the |its )?${SPAN} (range|channel|consolidation|base|box))|(?:(?:a |the )?(?:donchian (?:channel )?)?(?:breakout|breakdown|breaks? (?:out|down)|break) (?:on|above|over|of|to|below|under|beyond|through) (?:the |a |its )?(?:new )?${SPAN} (high|low|donchian (?:high|low))s?)|(?:the |a )?${SPAN} (?:donchian (?:channel )?)?(high|low|channel)? ?(?:breakout|breakdown))`,
    );
    if (!m) return null;
    const n = m[1] ?? m[4] ?? m[7] ?? m[10] ?? m[13];
    const unit = m[2] ?? m[5] ?? m[8] ?? m[11] ?? m[14];
    const word = m[3] ?? m[6] ?? m[12] ?? m[15] ?? (m[0].includes("breakdown") ? "low" : "high");
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
  // a one-day move: "up more than 5% on the day", "down 3% today"
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`${VERB}(up|higher|gained|rose|jumped|down|lower|lost|fell|dropped) (?:by )?(?:more than |at least |over )?${NUM}% (?:on the day|today|in a day|in one day|on the session|in one session)`,
    );
    if (!m) return null;
    const up = /up|higher|gained|rose|jumped/.test(m[1]);
    const x = Number(m[2]);
    return {
      value: {
        kind: "compare",
        left: { kind: "roc", field: "close", period: 1 },
        op: up ? "above" : "below",
        right: { kind: "level", value: up ? x : -x },
      },
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
  // "the first red candle", "the first down day": one lower close
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:on |at |after )?(?:the |a )?first (red|green|down|up|lower|higher|losing|winning) (?:candle|day|close|bar|session)`,
    );
    if (!m) return null;
    const up = /green|up|higher|winning/.test(m[1]);
    return { value: { kind: "trend", left: close, dir: up ? "rising" : "falling", bars: 1 }, end: endOf(m) };
  },
  // "below book value": P/B under 1
  (text, pos) => {
    const m = at(
      text,
      pos,
      String.raw`(?:trades? |trading |priced |is )?(below|under|above|over) (?:its )?book(?: value)?`,
    );
    if (!m) return null;
    const below = /below|under/.test(m[1]);
    const pb: Series = { kind: "fundamental", field: "pb" };
    return {
      value: { kind: "compare", left: pb, op: below ? "below" : "above", right: { kind: "level", value: 1 } },
      end: endOf(m),
      assumed: [`"${m[1]} book value" read as P/B ${below ? "below" : "above"} 1`],
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
