/**
 * A direct interpreter of a rule plan over bars: the reference the generated code is checked
 * against. It reads the plan, not the code — conditions are evaluated bar by bar with their
 * own small loops (channels, returns, lags, streaks, gaps, crossings written out here), and
 * only the recursive indicators (moving averages, RSI, MACD, ATR, ADX, …) come from
 * lib/indicators, which is tested against external references on its own.
 */
import { cci } from "../indicators/momentum/cci";
import { rsi } from "../indicators/momentum/rsi";
import { stochastic } from "../indicators/momentum/stochastic";
import { williamsR } from "../indicators/momentum/williams-r";
import { zscore } from "../indicators/rolling/zscore";
import { adx } from "../indicators/trend/adx";
import { ema } from "../indicators/trend/ema";
import { macd } from "../indicators/trend/macd";
import { sma } from "../indicators/trend/sma";
import { wma } from "../indicators/trend/wma";
import { atr } from "../indicators/volatility/atr";
import { bollinger } from "../indicators/volatility/bollinger";
import type { StrategyBars } from "../sdk/types";
import type { Condition, Distance, Operand, RulePlan, Series } from "./schema";

/** What the plan says for each bar (same shapes as a strategy's output; NaN = none). */
export interface ExpectedSignals {
  entries: Uint8Array;
  exits: Uint8Array;
  stopLoss: Float64Array | null;
  takeProfit: Float64Array | null;
  score: Float64Array | null;
}

type Values = (i: number) => number;

function windowExtreme(src: Float64Array, period: number, hi: boolean): Values {
  return (i) => {
    if (i - period < 0) return NaN;
    let best = src[i - 1];
    for (let j = i - period; j < i; j++) best = hi ? Math.max(best, src[j]) : Math.min(best, src[j]);
    return best;
  };
}

function seriesOf(s: Series, bars: StrategyBars, cache: Map<string, Values>): Values {
  const key = JSON.stringify(s);
  const hit = cache.get(key);
  if (hit) return hit;
  const arr =
    (a: Float64Array): Values =>
    (i) =>
      i >= 0 && i < a.length ? a[i] : NaN;
  const { high, low, close } = bars;
  let v: Values;
  switch (s.kind) {
    case "price": {
      const src = bars[s.field];
      v = (i) => (i - s.lag >= 0 && i < src.length ? src[i - s.lag] : NaN);
      break;
    }
    case "ma":
      v = arr((s.type === "sma" ? sma : s.type === "ema" ? ema : wma)(bars[s.field], s.period));
      break;
    case "rsi":
      v = arr(rsi(close, s.period));
      break;
    case "macd":
      v = arr(macd(close, s.fast, s.slow, s.signal)[s.line]);
      break;
    case "bollinger":
      v = arr(bollinger(close, s.period, s.mult)[s.band]);
      break;
    case "atr":
      v = arr(atr(high, low, close, s.period));
      break;
    case "adx":
      v = arr(adx(high, low, close, s.period)[s.line]);
      break;
    case "stochastic":
      v = arr(stochastic(high, low, close, s.period, s.dPeriod)[s.line]);
      break;
    case "williamsR":
      v = arr(williamsR(high, low, close, s.period));
      break;
    case "cci":
      v = arr(cci(high, low, close, s.period));
      break;
    case "zscore":
      v = arr(zscore(bars[s.field], s.period));
      break;
    case "roc": {
      const src = bars[s.field];
      v = (i) => (i - s.period >= 0 ? (100 * (src[i] - src[i - s.period])) / src[i - s.period] : NaN);
      break;
    }
    case "highest":
      v = windowExtreme(bars[s.field], s.period, true);
      break;
    case "lowest":
      v = windowExtreme(bars[s.field], s.period, false);
      break;
    case "fundamental": {
      const src = bars[s.field];
      v = (i) => (src && i >= 0 && i < src.length ? src[i] : NaN);
      break;
    }
  }
  cache.set(key, v);
  return v;
}

function operandOf(o: Operand, bars: StrategyBars, cache: Map<string, Values>): Values {
  if (o.kind === "level") return () => o.value;
  const s = seriesOf(o.series, bars, cache);
  const { times, pct, atrs } = o;
  if (times !== undefined) return (i) => s(i) * times;
  if (atrs !== undefined) {
    const a = seriesOf({ kind: "atr", period: atrs.period }, bars, cache);
    const k = Math.abs(atrs.value);
    return atrs.value >= 0 ? (i) => s(i) + k * a(i) : (i) => s(i) - k * a(i);
  }
  if (pct !== undefined) return (i) => s(i) * (pct >= 0 ? 1 + pct / 100 : 1 - Math.abs(pct) / 100);
  return s;
}

function test(c: Condition, bars: StrategyBars, cache: Map<string, Values>): (i: number) => boolean {
  switch (c.kind) {
    case "compare": {
      const l = seriesOf(c.left, bars, cache);
      const r = operandOf(c.right, bars, cache);
      return c.op === "above" ? (i) => l(i) > r(i) : (i) => l(i) < r(i);
    }
    case "cross": {
      const l = seriesOf(c.left, bars, cache);
      const r = operandOf(c.right, bars, cache);
      return c.dir === "above"
        ? (i) => l(i) > r(i) && l(i - 1) <= r(i - 1)
        : (i) => l(i) < r(i) && l(i - 1) >= r(i - 1);
    }
    case "between": {
      const l = seriesOf(c.left, bars, cache);
      return (i) => l(i) >= c.low && l(i) <= c.high;
    }
    case "trend": {
      const l = seriesOf(c.left, bars, cache);
      return (i) => {
        if (i - c.bars < 0) return false;
        for (let k = 0; k < c.bars; k++) {
          const now = l(i - k);
          const before = l(i - k - 1);
          if (!(c.dir === "rising" ? now > before : now < before)) return false;
        }
        return true;
      };
    }
    case "gap":
      return (i) =>
        i >= 1 &&
        (c.dir === "up"
          ? bars.open[i] > bars.close[i - 1] * (1 + c.pct / 100)
          : bars.open[i] < bars.close[i - 1] * (1 - c.pct / 100));
    case "sector": {
      const ok = c.sectors.includes(bars.sector ?? "");
      return () => ok;
    }
    case "all": {
      const parts = c.of.map((x) => test(x, bars, cache));
      return (i) => parts.every((t) => t(i));
    }
    case "any": {
      const parts = c.of.map((x) => test(x, bars, cache));
      return (i) => parts.some((t) => t(i));
    }
  }
}

function level(d: Distance, bars: StrategyBars, cache: Map<string, Values>, away: 1 | -1): Values {
  if (d.unit === "pct") return (i) => bars.close[i] * (away > 0 ? 1 + d.value / 100 : 1 - d.value / 100);
  const a = seriesOf({ kind: "atr", period: d.period }, bars, cache);
  return (i) => (away > 0 ? bars.close[i] + d.value * a(i) : bars.close[i] - d.value * a(i));
}

/** The plan's signals on one symbol's bars. */
export function evaluatePlan(plan: RulePlan, bars: StrategyBars): ExpectedSignals {
  const n = bars.close.length;
  const cache = new Map<string, Values>();
  const long = plan.side === "long";
  const entryTest = test(plan.entry, bars, cache);
  const exitTest = plan.exit ? test(plan.exit, bars, cache) : () => false;
  const entries = new Uint8Array(n);
  const exits = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    entries[i] = entryTest(i) ? 1 : 0;
    exits[i] = exitTest(i) ? 1 : 0;
  }
  const fillWith = (f: Values) => Float64Array.from({ length: n }, (_, i) => f(i));
  const stopLoss = plan.stopLoss ? fillWith(level(plan.stopLoss, bars, cache, long ? -1 : 1)) : null;
  const takeProfit = plan.takeProfit ? fillWith(level(plan.takeProfit, bars, cache, long ? 1 : -1)) : null;
  const sc = plan.score ? seriesOf(plan.score.series, bars, cache) : null;
  const score = sc && plan.score ? fillWith((i) => (plan.score?.order === "low" ? -sc(i) : sc(i))) : null;
  if (plan.trailingStop || plan.maxHoldBars !== null) applyPositionExits(plan, bars, cache, entries, exits);
  return { entries, exits, stopLoss, takeProfit, score };
}

/** Walks the position the entries open: time exit and trailing stop from the best close since entry. */
function applyPositionExits(
  plan: RulePlan,
  bars: StrategyBars,
  cache: Map<string, Values>,
  entries: Uint8Array,
  exits: Uint8Array,
): void {
  const long = plan.side === "long";
  const t = plan.trailingStop;
  const atrOf = t?.unit === "atr" ? seriesOf({ kind: "atr", period: t.period }, bars, cache) : null;
  let entryBar = -1;
  let best = NaN;
  for (let i = 0; i < bars.close.length; i++) {
    if (entryBar < 0) {
      if (entries[i]) [entryBar, best] = [i, bars.close[i]];
      continue;
    }
    const c = bars.close[i];
    best = long ? Math.max(best, c) : Math.min(best, c);
    const timeUp = plan.maxHoldBars !== null && i - entryBar >= plan.maxHoldBars;
    let trailHit = false;
    if (t) {
      const stop =
        t.unit === "pct"
          ? best * (long ? 1 - t.value / 100 : 1 + t.value / 100)
          : long
            ? best - t.value * (atrOf as Values)(i)
            : best + t.value * (atrOf as Values)(i);
      trailHit = long ? c <= stop : c >= stop;
    }
    if (exits[i] || timeUp || trailHit) {
      exits[i] = 1;
      entryBar = -1;
    }
  }
}
