/**
 * A compact one-line notation of a plan, for test expectations and logs:
 * `long: sma50 x> sma200 | exit: sma50 x< sma200 | stop 8% | trail 2atr14 | hold 20`.
 * Series: close, close[1], sma50, ema20(volume), rsi14, macd(12,26,9).histogram,
 * bb(20,2).lower, atr14, adx14, +di14, -di14, stoch(14,3).k, willr14, cci20, roc60, z20,
 * hi55 (highest high of the prior 55 bars), lo20, pe, pb, mcap, de. Comparisons: > < x> x<;
 * `in [a,b]`; `up3(close)` / `down3(close)`; `gapup3%`; `sector(A/B)`; `&` and `|`.
 */
import type { Condition, Distance, Operand, RulePlan, Series } from "./schema";

const n = (x: number) => String(Number(x.toFixed(6)));

/** A series in the compact notation. */
export function formatSeries(s: Series): string {
  switch (s.kind) {
    case "price":
      return s.lag ? `${s.field}[${s.lag}]` : s.field;
    case "ma":
      return `${s.type}${s.period}${s.field === "close" ? "" : `(${s.field})`}`;
    case "rsi":
      return `rsi${s.period}`;
    case "macd":
      return `macd(${s.fast},${s.slow},${s.signal}).${s.line}`;
    case "bollinger":
      return `bb(${s.period},${n(s.mult)}).${s.band}`;
    case "atr":
      return `atr${s.period}`;
    case "adx":
      return s.line === "adx" ? `adx${s.period}` : `${s.line === "plusDI" ? "+" : "-"}di${s.period}`;
    case "stochastic":
      return `stoch(${s.period},${s.dPeriod}).${s.line}`;
    case "williamsR":
      return `willr${s.period}`;
    case "cci":
      return `cci${s.period}`;
    case "roc":
      return `roc${s.period}${s.field === "close" ? "" : `(${s.field})`}`;
    case "zscore":
      return `z${s.period}${s.field === "close" ? "" : `(${s.field})`}`;
    case "highest":
      return `hi${s.period}${s.field === "high" ? "" : `(${s.field})`}`;
    case "lowest":
      return `lo${s.period}${s.field === "low" ? "" : `(${s.field})`}`;
    case "fundamental":
      return ({ pe: "pe", pb: "pb", marketCap: "mcap", debtToEquity: "de" } as const)[s.field];
  }
}

function formatOperand(o: Operand): string {
  if (o.kind === "level") return n(o.value);
  const s = formatSeries(o.series);
  if (o.times !== undefined) return `${n(o.times)}x ${s}`;
  if (o.pct !== undefined) return `${s}${o.pct >= 0 ? "+" : ""}${n(o.pct)}%`;
  if (o.atrs !== undefined) return `${s}${o.atrs.value >= 0 ? "+" : ""}${n(o.atrs.value)}atr${o.atrs.period}`;
  return s;
}

/** A condition in the compact notation. */
export function formatCondition(c: Condition): string {
  switch (c.kind) {
    case "compare":
      return `${formatSeries(c.left)} ${c.op === "above" ? ">" : "<"} ${formatOperand(c.right)}`;
    case "cross":
      return `${formatSeries(c.left)} x${c.dir === "above" ? ">" : "<"} ${formatOperand(c.right)}`;
    case "between":
      return `${formatSeries(c.left)} in [${n(c.low)},${n(c.high)}]`;
    case "trend":
      return `${c.dir === "rising" ? "up" : "down"}${c.bars}(${formatSeries(c.left)})`;
    case "gap":
      return `gap${c.dir}${n(c.pct)}%`;
    case "sector":
      return `sector(${c.sectors.join("/")})`;
    case "all":
      return c.of.map(formatCondition).join(" & ");
    case "any":
      return `(${c.of.map((x) => (x.kind === "all" ? `(${formatCondition(x)})` : formatCondition(x))).join(" | ")})`;
  }
}

const dist = (d: Distance) => (d.unit === "pct" ? `${n(d.value)}%` : `${n(d.value)}atr${d.period}`);

/** The plan in the compact notation. */
export function formatPlan(p: RulePlan): string {
  const parts = [`${p.side}: ${formatCondition(p.entry)}`];
  if (p.exit) parts.push(`exit: ${formatCondition(p.exit)}`);
  if (p.stopLoss) parts.push(`stop ${dist(p.stopLoss)}`);
  if (p.takeProfit) parts.push(`target ${dist(p.takeProfit)}`);
  if (p.trailingStop) parts.push(`trail ${dist(p.trailingStop)}`);
  if (p.maxHoldBars !== null) parts.push(`hold ${p.maxHoldBars}`);
  if (p.score) parts.push(`rank ${p.score.order === "low" ? "-" : ""}${formatSeries(p.score.series)}`);
  return parts.join(" | ");
}

/**
 * Whether two compact plans say the same thing up to the order of "and"-joined conditions
 * ("a & b" equals "b & a"); used to compare a reading with an expected one.
 */
export function sameReading(a: string, b: string): boolean {
  const canon = (x: string) =>
    x
      .split(" | ")
      .map((seg) => {
        const m = /^(long: |short: |exit: )(.*)$/.exec(seg);
        return m ? m[1] + m[2].split(" & ").sort().join(" & ") : seg;
      })
      .join(" | ");
  return canon(a) === canon(b);
}
