/**
 * Series phrases: "the 50-day SMA", "RSI(14)", "the lower Bollinger band", "its 20-day average
 * volume", "the 55-day high", "P/E". Each recogniser reads at a position and returns the
 * series block; indicator periods not given take the usual default and say so.
 */
import type { PriceField, Series } from "../schema";
import { at, endOf, NUM, SPAN, toBars, UNIT, type Hit } from "./lexicon";

const THE = String.raw`(?:(?:the|its|their|a|an|today'?s|current|daily) )*`;
const FIELD_WORDS: Record<string, PriceField> = {
  close: "close",
  closes: "close",
  closing: "close",
  price: "close",
  prices: "close",
  open: "open",
  high: "high",
  low: "low",
  volume: "volume",
};
const FIELD = String.raw`(close|closes|closing|price|prices|open|high|low|volume)`;

/** Context a phrase is read in: the field of the left-hand side ("volume above its average"). */
/** Indicator periods given earlier in the request, by indicator: "the RSI" later means the same RSI. */
export type PeriodMemory = Map<string, number>;

export interface SeriesContext {
  field?: PriceField;
  memory?: PeriodMemory;
  /** The left-hand side is an indicator: "its average" would be the indicator's average, which the language has no block for. */
  indicatorLeft?: boolean;
}

type Reader = (text: string, pos: number, ctx: SeriesContext) => Hit<Series> | null;

function span(m: RegExpExecArray, nIdx: number, uIdx: number): number | null {
  return m[nIdx] ? toBars(Number(m[nIdx]), m[uIdx]) : null;
}

function withDefault(
  name: string,
  value: number | null,
  fallback: number,
  assumed: string[],
  memory?: PeriodMemory,
): number {
  if (value !== null) {
    memory?.set(name, value);
    return value;
  }
  const earlier = memory?.get(name);
  if (earlier !== undefined) {
    assumed.push(`${name} not given: ${earlier}, as earlier in the request`);
    return earlier;
  }
  assumed.push(`${name} not given: ${fallback} (the usual)`);
  return fallback;
}

const simple =
  (kind: "rsi" | "atr" | "williamsR" | "cci", word: string, label: string, fallback: number): Reader =>
  (text, pos, ctx) => {
    const m = at(text, pos, String.raw`${THE}(?:${SPAN} )?${word}(?: (\d+))?`);
    if (!m) return null;
    const assumed: string[] = [];
    const period = withDefault(
      `${label} period`,
      span(m, 1, 2) ?? (m[3] ? Number(m[3]) : null),
      fallback,
      assumed,
      ctx.memory,
    );
    return { value: { kind, period } as Series, end: endOf(m), assumed };
  };

const READERS: Reader[] = [
  // moving averages: "50 day sma", "sma 50", "ema of the close over 20 days", "the 20 day ema of volume"
  (text, pos, _ctx) => {
    const m = at(
      text,
      pos,
      String.raw`${THE}(?:${SPAN} )?(sma|ema|wma)(?: of (?:the )?${FIELD})?(?: (\d+)(?: ${UNIT})?)?(?: (?:over|of) (?:the )?(?:last |past )?${SPAN})?`,
    );
    if (!m) return null;
    const period = span(m, 1, 2) ?? span(m, 5, 6) ?? span(m, 7, 8);
    if (period === null) return null;
    return {
      value: { kind: "ma", type: m[3] as "sma", field: m[4] ? FIELD_WORDS[m[4]] : "close", period },
      end: endOf(m),
    };
  },
  // "its 20 day average", "the 20 day mean", "average volume", "the 50 day average volume"
  (text, pos, ctx) => {
    const m = at(
      text,
      pos,
      String.raw`${THE}(?:${SPAN} )?(?:average|avg|mean|norm|normal|usual)(?: (?:daily )?(volume|close|price))?(?: (?:over|of) (?:the )?(?:last |past )?${SPAN})?`,
    );
    if (!m) return null;
    if (!m[3] && ctx.indicatorLeft) return null;
    const field: PriceField = m[3] ? FIELD_WORDS[m[3]] : (ctx.field ?? "close");
    const assumed: string[] = [];
    const period = withDefault(`averaging window`, span(m, 1, 2) ?? span(m, 4, 5), 20, assumed, ctx.memory);
    return { value: { kind: "ma", type: "sma", field, period }, end: endOf(m), assumed };
  },
  // "volume average", "volume sma"
  (text, pos, ctx) => {
    const m = at(text, pos, String.raw`${THE}(?:${SPAN} )?volume (?:average|avg|mean)(?: (\d+))?`);
    if (!m) return null;
    const assumed: string[] = [];
    const period = withDefault(
      "averaging window",
      span(m, 1, 2) ?? (m[3] ? Number(m[3]) : null),
      20,
      assumed,
      ctx.memory,
    );
    return { value: { kind: "ma", type: "sma", field: "volume", period }, end: endOf(m), assumed };
  },
  simple("rsi", "rsi", "RSI", 14),
  simple("atr", "atr", "ATR", 14),
  simple("williamsR", "willr", "Williams %R", 14),
  simple("cci", "cci", "CCI", 20),
  // MACD: "macd", "macd 12 26 9", "the macd signal line", "macd histogram"
  (text, pos, _ctx) => {
    const m = at(
      text,
      pos,
      String.raw`${THE}macd(?: (\d+) (\d+) (\d+))?(?: (line|signal line|signal|histogram|hist))?`,
    );
    if (!m) return null;
    const line =
      m[4] === "signal" || m[4] === "signal line"
        ? "signal"
        : m[4] === "histogram" || m[4] === "hist"
          ? "histogram"
          : "macd";
    const assumed = m[1] ? [] : ["MACD periods not given: 12, 26, 9 (the usual)"];
    const [fast, slow, signal] = m[1] ? [Number(m[1]), Number(m[2]), Number(m[3])] : [12, 26, 9];
    return { value: { kind: "macd", line, fast, slow, signal }, end: endOf(m), assumed };
  },
  (text, pos, _ctx) => {
    const m = at(text, pos, String.raw`${THE}(?:macd )?signal line`);
    return m
      ? {
          value: { kind: "macd", line: "signal", fast: 12, slow: 26, signal: 9 },
          end: endOf(m),
          assumed: ["MACD periods not given: 12, 26, 9 (the usual)"],
        }
      : null;
  },
  // Bollinger bands
  (text, pos, ctx) => {
    const pre = String.raw`(?:${SPAN} )?(?:${NUM} std )?`;
    const forms = [
      String.raw`${THE}${pre}(upper|lower|middle) (?:bollinger )?band(?: of (?:the |a )?${pre}bollinger band)?`,
      String.raw`${THE}${pre}bollinger (upper|lower|middle) band`,
    ];
    const after = at(text, pos, String.raw`${THE}(upper|lower|middle) ${pre}bollinger band`);
    if (after) {
      const assumed: string[] = [];
      const period = withDefault("Bollinger period", span(after, 2, 3), 20, assumed, ctx.memory);
      const mult = withDefault("Bollinger width", after[4] ? Number(after[4]) : null, 2, assumed, ctx.memory);
      return { value: { kind: "bollinger", band: after[1] as "upper", period, mult }, end: endOf(after), assumed };
    }
    for (const f of forms) {
      const m = at(text, pos, f);
      if (!m) continue;
      const band = m[4] as "upper";
      const assumed: string[] = [];
      const period = withDefault("Bollinger period", span(m, 1, 2) ?? span(m, 5, 6), 20, assumed, ctx.memory);
      const mult = withDefault(
        "Bollinger width",
        m[3] ? Number(m[3]) : m[7] ? Number(m[7]) : null,
        2,
        assumed,
        ctx.memory,
      );
      return { value: { kind: "bollinger", band, period, mult }, end: endOf(m), assumed };
    }
    return null;
  },
  // ADX and the directional indicators
  (text, pos, ctx) => {
    const m = at(
      text,
      pos,
      String.raw`${THE}(?:${SPAN} )?(adx|\+di|plus di|di\+|positive di|-di|minus di|di-|negative di)(?: (\d+))?`,
    );
    if (!m) return null;
    const w = m[3];
    const line = w === "adx" ? "adx" : /\+|plus|positive/.test(w) ? "plusDI" : "minusDI";
    const assumed: string[] = [];
    const period = withDefault("ADX period", span(m, 1, 2) ?? (m[4] ? Number(m[4]) : null), 14, assumed, ctx.memory);
    return { value: { kind: "adx", line, period }, end: endOf(m), assumed };
  },
  // stochastic %K / %D
  (text, pos, ctx) => {
    const m = at(
      text,
      pos,
      String.raw`${THE}(?:${SPAN} )?(?:stochastic|stoch)(?: (\d+))?(?: %?(k|d)(?: line)?)?|${THE}%(k|d)`,
    );
    if (!m) return null;
    const assumed: string[] = [];
    const period = withDefault(
      "stochastic period",
      span(m, 1, 2) ?? (m[3] ? Number(m[3]) : null),
      14,
      assumed,
      ctx.memory,
    );
    return {
      value: { kind: "stochastic", line: (m[4] ?? m[5] ?? "k") as "k", period, dPeriod: 3 },
      end: endOf(m),
      assumed,
    };
  },
  // rate of change / returns
  (text, pos, _ctx) => {
    const m = at(
      text,
      pos,
      String.raw`${THE}(?:${SPAN} )?(?:roc|return|returns|performance|price change|change|gain)(?: (\d+))?(?: (?:over|in|during) (?:the )?(?:last |past )?${SPAN})?`,
    );
    if (!m) return null;
    const period = span(m, 1, 2) ?? (m[3] ? Number(m[3]) : null) ?? span(m, 4, 5);
    if (period === null) return null;
    return { value: { kind: "roc", field: "close", period }, end: endOf(m) };
  },
  // z-score
  (text, pos, ctx) => {
    const m = at(text, pos, String.raw`${THE}(?:${SPAN} )?zscore(?: of (?:the )?(?:close|price|closes))?(?: (\d+))?`);
    if (!m) return null;
    const assumed: string[] = [];
    const period = withDefault(
      "z-score window",
      span(m, 1, 2) ?? (m[3] ? Number(m[3]) : null),
      20,
      assumed,
      ctx.memory,
    );
    return { value: { kind: "zscore", field: "close", period }, end: endOf(m), assumed };
  },
  // channels: "the 55 day high", "highest high of the last 20 days", "donchian upper band 20"
  (text, pos, _ctx) => {
    const m = at(
      text,
      pos,
      String.raw`${THE}(?:new )?(?:${SPAN} )(?:donchian )?(high|highs|low|lows|closing high|closing low)(?: of (?:the )?(closes?|closing prices?))?`,
    );
    if (!m || !m[1]) return null;
    const hi = m[3].includes("high");
    const field: PriceField = m[3].startsWith("closing") || m[4] ? "close" : hi ? "high" : "low";
    return { value: { kind: hi ? "highest" : "lowest", field, period: toBars(Number(m[1]), m[2]) }, end: endOf(m) };
  },
  (text, pos, _ctx) => {
    const m = at(
      text,
      pos,
      String.raw`${THE}(highest|lowest|max|min|maximum|minimum) (high|low|close|price|closing price)? ?(?:of|over|in) (?:the )?(?:last |past |prior |previous )?${SPAN}`,
    );
    if (!m) return null;
    const hi = /highest|max/.test(m[1]);
    const field: PriceField = m[2] ? (FIELD_WORDS[m[2].split(" ")[0]] ?? "close") : hi ? "high" : "low";
    return { value: { kind: hi ? "highest" : "lowest", field, period: toBars(Number(m[3]), m[4]) }, end: endOf(m) };
  },
  (text, pos, ctx) => {
    const m = at(
      text,
      pos,
      String.raw`${THE}(?:${SPAN} )?donchian(?: channel)?(?: (upper|lower|high|low))?(?: band)?(?: (\d+))?`,
    );
    if (!m) return null;
    const assumed: string[] = [];
    const period = withDefault(
      "Donchian period",
      span(m, 1, 2) ?? (m[4] ? Number(m[4]) : null),
      20,
      assumed,
      ctx.memory,
    );
    const hi = !m[3] || m[3] === "upper" || m[3] === "high";
    return { value: { kind: hi ? "highest" : "lowest", field: hi ? "high" : "low", period }, end: endOf(m), assumed };
  },
  // fundamentals
  (text, pos, _ctx) => {
    const m = at(text, pos, String.raw`${THE}(pe|pb|de|mcap)`);
    if (!m) return null;
    const field = ({ pe: "pe", pb: "pb", de: "debtToEquity", mcap: "marketCap" } as const)[m[1] as "pe"];
    return { value: { kind: "fundamental", field }, end: endOf(m) };
  },
  // prices: "the close", "price", "the stock", "prevclose", "volume"
  (text, pos, _ctx) => {
    const m = at(text, pos, String.raw`${THE}prevclose`);
    return m ? { value: { kind: "price", field: "close", lag: 1 }, end: endOf(m) } : null;
  },
  (text, pos, _ctx) => {
    const m = at(
      text,
      pos,
      String.raw`${THE}(?:(?:stock|share|stock's|shares)'?s? )?(?:${FIELD}|stock|shares|it|they)(?: price)?(?: (?:spike|surge|burst))?`,
    );
    if (!m) return null;
    return { value: { kind: "price", field: m[1] ? FIELD_WORDS[m[1]] : "close", lag: 0 }, end: endOf(m) };
  },
];

/** The series phrase starting at `pos`, or null. */
export function readSeries(text: string, pos: number, ctx: SeriesContext = {}): Hit<Series> | null {
  for (const read of READERS) {
    const hit = read(text, pos, ctx);
    if (hit) return hit;
  }
  return null;
}

/** "the 200 day" after a moving average: the same kind of average with another period. */
export function readImpliedAverage(text: string, pos: number, like: Series): Hit<Series> | null {
  if (like.kind !== "ma") return null;
  const m = at(text, pos, String.raw`${THE}${SPAN}(?: one| line)?`);
  if (!m || !m[2]) return null;
  return { value: { ...like, period: toBars(Number(m[1]), m[2]) }, end: endOf(m) };
}
