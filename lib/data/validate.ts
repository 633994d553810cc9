import type { BarSeries } from "./bars";

/** A bar that breaks the {@link BarSeries} invariants. `bar` is the 0-based index. */
export class InvalidBarsError extends Error {
  readonly symbol: string;
  readonly bar: number;
  readonly problem: string;

  constructor(symbol: string, bar: number, problem: string) {
    super(`${symbol}: bar ${bar}: ${problem}`);
    this.name = "InvalidBarsError";
    this.symbol = symbol;
    this.bar = bar;
    this.problem = problem;
  }
}

/**
 * Check every {@link BarSeries} invariant and throw {@link InvalidBarsError} on the first
 * offending bar: equal array lengths, finite ascending unique timestamps, positive finite
 * prices, `low <= min(open, close)`, `high >= max(open, close)`, finite volume >= 0.
 * An empty series is valid.
 */
export function validateBars(series: BarSeries): void {
  const { symbol, timestampsMs: t, open: o, high: h, low: l, close: c, volume: v } = series;
  const n = c.length;
  for (const [name, arr] of [
    ["timestampsMs", t],
    ["open", o],
    ["high", h],
    ["low", l],
    ["volume", v],
  ] as const) {
    if (arr.length !== n)
      throw new InvalidBarsError(
        symbol,
        Math.min(arr.length, n),
        `${name} has ${arr.length} values but close has ${n}`,
      );
  }
  for (let i = 0; i < n; i++) {
    const ts = t[i];
    if (!Number.isFinite(ts)) throw new InvalidBarsError(symbol, i, `timestamp is ${ts}`);
    if (i > 0 && ts <= t[i - 1]) {
      throw new InvalidBarsError(
        symbol,
        i,
        ts === t[i - 1] ? "duplicate timestamp" : "timestamp earlier than the previous bar",
      );
    }
    const oi = o[i],
      hi = h[i],
      li = l[i],
      ci = c[i],
      vi = v[i];
    for (const [name, p] of [
      ["open", oi],
      ["high", hi],
      ["low", li],
      ["close", ci],
    ] as const) {
      if (!Number.isFinite(p) || p <= 0)
        throw new InvalidBarsError(symbol, i, `${name} is ${p}; prices must be positive and finite`);
    }
    if (hi < li) throw new InvalidBarsError(symbol, i, `high ${hi} is below low ${li}`);
    if (li > Math.min(oi, ci))
      throw new InvalidBarsError(symbol, i, `low ${li} is above min(open, close) ${Math.min(oi, ci)}`);
    if (hi < Math.max(oi, ci))
      throw new InvalidBarsError(symbol, i, `high ${hi} is below max(open, close) ${Math.max(oi, ci)}`);
    if (!Number.isFinite(vi) || vi < 0)
      throw new InvalidBarsError(symbol, i, `volume is ${vi}; it must be finite and >= 0`);
  }
}
