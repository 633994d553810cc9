/**
 * Rule plan → plain English, one sentence per rule, so a reader can check what will be
 * traded against what was asked ("Enter long when the 50-day SMA crosses above the 200-day SMA.").
 */
import type { Condition, Distance, Operand, RulePlan, Series } from "./schema";

const FIELD_NAME: Record<string, string> = { open: "open", high: "high", low: "low", close: "close", volume: "volume" };
const FUND_NAME: Record<string, string> = {
  pe: "P/E",
  pb: "P/B",
  marketCap: "market cap",
  debtToEquity: "debt/equity",
};

/** A number as people write it: 2, 1.5, 0.25 (no float noise). */
export function num(x: number): string {
  return String(Number(x.toFixed(6)));
}

function money(x: number): string {
  if (Math.abs(x) >= 1e12) return `$${num(x / 1e12)} trillion`;
  if (Math.abs(x) >= 1e9) return `$${num(x / 1e9)} billion`;
  if (Math.abs(x) >= 1e6) return `$${num(x / 1e6)} million`;
  return num(x);
}

/** The series in words: "the 50-day SMA of the close", "RSI(14)", "the prior 55-day high". */
export function describeSeries(s: Series): string {
  switch (s.kind) {
    case "price":
      return s.lag === 0
        ? `the ${FIELD_NAME[s.field]}`
        : s.lag === 1
          ? `the previous ${FIELD_NAME[s.field]}`
          : `the ${FIELD_NAME[s.field]} ${s.lag} bars ago`;
    case "ma":
      return `the ${s.period}-day ${s.type.toUpperCase()}${s.field === "close" ? "" : ` of ${s.field === "volume" ? "volume" : `the ${s.field}`}`}`;
    case "rsi":
      return `RSI(${s.period})`;
    case "macd": {
      const p = `(${s.fast}, ${s.slow}, ${s.signal})`;
      return s.line === "macd"
        ? `the MACD line ${p}`
        : s.line === "signal"
          ? `the MACD signal line ${p}`
          : `the MACD histogram ${p}`;
    }
    case "bollinger":
      return `the ${s.band} Bollinger band (${s.period} days, ${num(s.mult)} std)`;
    case "atr":
      return `ATR(${s.period})`;
    case "adx":
      return s.line === "adx" ? `ADX(${s.period})` : `${s.line === "plusDI" ? "+DI" : "-DI"}(${s.period})`;
    case "stochastic":
      return `stochastic %${s.line.toUpperCase()}(${s.period}, ${s.dPeriod})`;
    case "williamsR":
      return `Williams %R(${s.period})`;
    case "cci":
      return `CCI(${s.period})`;
    case "roc":
      return `the ${s.period}-day return (%)`;
    case "zscore":
      return `the ${s.period}-day z-score of the ${FIELD_NAME[s.field]}`;
    case "highest":
      return `the highest ${FIELD_NAME[s.field]} of the prior ${s.period} days`;
    case "lowest":
      return `the lowest ${FIELD_NAME[s.field]} of the prior ${s.period} days`;
    case "fundamental":
      return FUND_NAME[s.field];
  }
}

function describeOperand(o: Operand, left: Series): string {
  if (o.kind === "level")
    return left.kind === "fundamental" && left.field === "marketCap"
      ? money(o.value)
      : left.kind === "roc"
        ? `${num(o.value)}%`
        : num(o.value);
  const s = describeSeries(o.series);
  if (o.times !== undefined) return `${num(o.times)}× ${s}`;
  if (o.atrs !== undefined)
    return `${num(Math.abs(o.atrs.value))}× ATR(${o.atrs.period}) ${o.atrs.value >= 0 ? "above" : "below"} ${s}`;
  if (o.pct !== undefined) return `${num(Math.abs(o.pct))}% ${o.pct >= 0 ? "above" : "below"} ${s}`;
  return s;
}

/** One condition as a clause: "RSI(14) is below 30". */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case "compare":
      return `${describeSeries(c.left)} is ${c.op} ${describeOperand(c.right, c.left)}`;
    case "cross":
      return `${describeSeries(c.left)} crosses ${c.dir} ${describeOperand(c.right, c.left)}`;
    case "between":
      return `${describeSeries(c.left)} is between ${num(c.low)} and ${num(c.high)}`;
    case "trend":
      if (c.left.kind === "price" && c.left.field === "close" && c.left.lag === 0)
        return `the close is ${c.dir === "rising" ? "higher" : "lower"} than the day before on ${c.bars} days in a row`;
      return `${describeSeries(c.left)} ${c.dir === "rising" ? "rises" : "falls"} ${c.bars} bars in a row`;
    case "gap":
      return `the open gaps ${c.dir} more than ${num(c.pct)}% ${c.dir === "up" ? "above" : "below"} the previous close`;
    case "sector":
      return `the sector is ${c.sectors.join(" or ")}`;
    case "all":
      return c.of.map(describeCondition).join(" and ");
    case "any":
      return `(${c.of.map((x) => (x.kind === "all" ? `(${describeCondition(x)})` : describeCondition(x))).join(" or ")})`;
  }
}

function describeDistance(d: Distance): string {
  return d.unit === "pct" ? `${num(d.value)}%` : `${num(d.value)}× ATR(${d.period})`;
}

/** Every rule of the plan as its own sentence. */
export function describeRules(plan: RulePlan): string[] {
  const long = plan.side === "long";
  const out = [`Enter ${plan.side} when ${describeCondition(plan.entry)}.`];
  if (plan.exit) out.push(`Exit when ${describeCondition(plan.exit)}.`);
  if (plan.stopLoss)
    out.push(`Stop loss ${describeDistance(plan.stopLoss)} ${long ? "below" : "above"} the entry close.`);
  if (plan.takeProfit)
    out.push(`Take profit ${describeDistance(plan.takeProfit)} ${long ? "above" : "below"} the entry close.`);
  if (plan.trailingStop)
    out.push(
      `Trailing stop: exit when the close is ${describeDistance(plan.trailingStop)} ${long ? "below the highest" : "above the lowest"} close since entry.`,
    );
  if (plan.maxHoldBars !== null) out.push(`Exit after ${plan.maxHoldBars} bars in the position.`);
  if (plan.score)
    out.push(
      `Rank by ${describeSeries(plan.score.series)}, ${plan.score.order === "high" ? "highest" : "lowest"} first.`,
    );
  return out;
}

/** The whole plan as one paragraph (the strategy's `description`). */
export function describePlan(plan: RulePlan): string {
  return describeRules(plan).join(" ");
}
