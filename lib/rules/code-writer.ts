/**
 * The state the code generator accumulates while walking a plan: parameters (one per number of
 * the plan, named after what they tune), indicator set-up lines computed once per distinct
 * series, and the helpers the code needs.
 */
import type { BoundKind, Condition, Series } from "./schema";

export interface Param {
  name: string;
  value: number;
  bound: BoundKind;
  note: string;
  /** Clamp the range into this domain (oscillators live in 0..100). */
  domain?: [number, number];
}

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** camelCase join: ("", "rsi", "below") → "rsiBelow"; ("exit", "rsi", "above") → "exitRsiAbove". */
export const camel = (...parts: string[]) =>
  parts
    .filter(Boolean)
    .map((x, k) => (k === 0 ? x : cap(x)))
    .join("");
export const OSCILLATOR_DOMAIN: Partial<Record<Series["kind"], [number, number]>> = {
  rsi: [0, 100],
  stochastic: [0, 100],
  adx: [0, 100],
  williamsR: [-100, 0],
};

export class Writer {
  params: Param[] = [];
  setup: string[] = [];
  fundamentals = false;
  helpers = new Set<string>();
  private vars = new Map<string, string>();
  private used = new Set<string>(["n", "i", "p", "bars", "ta", "entries", "exits", "score", "stopLoss", "takeProfit"]);

  unique(base: string): string {
    let name = base;
    for (let k = 2; this.used.has(name); k++) name = `${base}${k}`;
    this.used.add(name);
    return name;
  }

  param(base: string, value: number, bound: BoundKind, note: string, domain?: [number, number]): string {
    const name = this.unique(base);
    this.params.push({ name, value, bound, note, domain });
    return `p.${name}`;
  }

  /** Variable holding the series (computed once), or a direct bars reference for prices. */
  series(s: Series, hint?: string): string {
    if (s.kind === "price") return `bars.${s.field}`;
    const key = JSON.stringify(s);
    const known = this.vars.get(key);
    if (known) return known;
    const base = hint ?? baseName(s);
    const v = this.unique(base);
    this.vars.set(key, v);
    this.setup.push(...this.compute(s, v));
    return v;
  }

  private compute(s: Series, v: string): string[] {
    const per = (what: string) =>
      this.param(
        `${v}Period`,
        (s as { period: number }).period,
        "period",
        /^(fast|slow)/.test(v) ? `${v.startsWith("fast") ? "fast" : "slow"} ${what}` : what,
      );
    switch (s.kind) {
      case "ma":
        return [
          `const ${v} = ta.${s.type}(bars.${s.field}, ${per(`${s.type.toUpperCase()} window of the ${s.field} (days)`)});`,
        ];
      case "rsi":
        return [`const ${v} = ta.rsi(bars.close, ${per("RSI period (days)")});`];
      case "macd": {
        const f = this.param(`${v}Fast`, s.fast, "period", "MACD fast EMA (days)");
        const sl = this.param(`${v}Slow`, s.slow, "period", "MACD slow EMA (days)");
        const sg = this.param(`${v}Signal`, s.signal, "period", "MACD signal EMA (days)");
        return [`const ${v} = ta.macd(bars.close, ${f}, ${sl}, ${sg}).${s.line};`];
      }
      case "bollinger": {
        const pp = per("Bollinger window (days)");
        const m = this.param(`${v}StdDevs`, s.mult, "stdDevs", "Bollinger width (standard deviations)");
        return [`const ${v} = ta.bollinger(bars.close, ${pp}, ${m}).${s.band};`];
      }
      case "atr":
        return [`const ${v} = ta.atr(bars.high, bars.low, bars.close, ${per("ATR period (days)")});`];
      case "adx":
        return [`const ${v} = ta.adx(bars.high, bars.low, bars.close, ${per("ADX / DI period (days)")}).${s.line};`];
      case "stochastic": {
        const pp = per("stochastic %K window (days)");
        const d = this.param(`${v}DPeriod`, s.dPeriod, "period", "stochastic %D smoothing (days)");
        return [`const ${v} = ta.stochastic(bars.high, bars.low, bars.close, ${pp}, ${d}).${s.line};`];
      }
      case "williamsR":
        return [`const ${v} = ta.williamsR(bars.high, bars.low, bars.close, ${per("Williams %R period (days)")});`];
      case "cci":
        return [`const ${v} = ta.cci(bars.high, bars.low, bars.close, ${per("CCI period (days)")});`];
      case "roc":
        return [`const ${v} = ta.roc(bars.${s.field}, ${per("return window (days)")});`];
      case "zscore":
        return [`const ${v} = ta.zscore(bars.${s.field}, ${per("z-score window (days)")});`];
      case "highest":
      case "lowest":
        return [
          `// ${s.kind === "highest" ? "Highest" : "Lowest"} ${s.field} of the bars before this one, so today's bar can break it.`,
          `const ${v} = ta.shift(ta.${s.kind}(bars.${s.field}, ${per(`channel length (days)`)}), 1);`,
        ];
      case "fundamental":
        this.fundamentals = true;
        this.helpers.add("fill");
        return [`const ${v} = bars.${s.field} ?? fill(n);`];
      case "price":
        return [];
    }
  }
}

export function baseName(s: Series): string {
  switch (s.kind) {
    case "ma":
      return s.field === "close" ? s.type : `${s.type}${cap(s.field)}`;
    case "macd":
      return s.line === "macd" ? "macdLine" : s.line === "signal" ? "macdSignal" : "macdHistogram";
    case "bollinger":
      return `${s.band}Band`;
    case "adx":
      return s.line;
    case "stochastic":
      return `stoch${s.line.toUpperCase()}`;
    case "roc":
      return "returnPct";
    case "highest":
      return s.field === "high" ? "priorHigh" : `highest${cap(s.field)}`;
    case "lowest":
      return s.field === "low" ? "priorLow" : `lowest${cap(s.field)}`;
    case "fundamental":
      return s.field;
    default:
      return s.kind;
  }
}

/** Names fast/slow for two averages of one kind compared with each other. */
export function hintFor(c: Condition, side: "left" | "right"): string | undefined {
  if (
    (c.kind === "cross" || c.kind === "compare") &&
    c.right.kind === "series" &&
    c.left.kind === "ma" &&
    c.right.series.kind === "ma" &&
    c.left.type === c.right.series.type
  ) {
    const l = c.left.period < c.right.series.period;
    const fast = side === "left" ? l : !l;
    return `${fast ? "fast" : "slow"}${cap(baseName(side === "left" ? c.left : c.right.series))}`;
  }
  return undefined;
}
