/**
 * Input checks run before every simulation: one pass over each array, first problem wins.
 */
import type { BarSeries } from "../data/bars";
import type { SignalArrays } from "./signals";
import { InvalidInputError } from "./errors";

function checkSeries(s: BarSeries): void {
  const sym = s.symbol;
  const n = s.close.length;
  if (n === 0) throw new InvalidInputError(sym, -1, "empty_series", "the series has no bars");
  const cols = [s.timestampsMs, s.open, s.high, s.low, s.volume] as const;
  const names = ["timestampsMs", "open", "high", "low", "volume"] as const;
  for (let k = 0; k < cols.length; k++) {
    if (cols[k].length !== n) {
      throw new InvalidInputError(
        sym,
        -1,
        "misaligned_arrays",
        `${names[k]} has ${cols[k].length} values but close has ${n}`,
      );
    }
  }
  const { open: o, high: h, low: l, close: c, timestampsMs: ts } = s;
  for (let i = 0; i < n; i++) {
    const oi = o[i],
      hi = h[i],
      li = l[i],
      ci = c[i];
    if (!Number.isFinite(oi) || !Number.isFinite(hi) || !Number.isFinite(li) || !Number.isFinite(ci)) {
      throw new InvalidInputError(
        sym,
        i,
        "non_finite_price",
        `price is NaN or infinite (open ${oi}, high ${hi}, low ${li}, close ${ci})`,
      );
    }
    if (oi <= 0 || hi <= 0 || li <= 0 || ci <= 0) {
      throw new InvalidInputError(
        sym,
        i,
        "non_positive_price",
        `price must be > 0 (open ${oi}, high ${hi}, low ${li}, close ${ci})`,
      );
    }
    if (hi < li) throw new InvalidInputError(sym, i, "high_below_low", `high ${hi} is below low ${li}`);
    if (oi > hi || oi < li || ci > hi || ci < li) {
      throw new InvalidInputError(
        sym,
        i,
        "ohlc_outside_range",
        `open ${oi} or close ${ci} lies outside [low ${li}, high ${hi}]`,
      );
    }
    if (!Number.isFinite(ts[i]))
      throw new InvalidInputError(sym, i, "unsorted_timestamps", `timestamp is not finite (${ts[i]})`);
    if (i > 0) {
      if (ts[i] === ts[i - 1])
        throw new InvalidInputError(sym, i, "duplicate_timestamps", `timestamp ${ts[i]} repeats bar ${i - 1}`);
      if (ts[i] < ts[i - 1])
        throw new InvalidInputError(
          sym,
          i,
          "unsorted_timestamps",
          `timestamp ${ts[i]} is before bar ${i - 1}'s ${ts[i - 1]}`,
        );
    }
  }
}

function checkSignals(sym: string, n: number, sig: SignalArrays): void {
  const arrays: [string, ArrayLike<number> | undefined][] = [
    ["entries", sig.entries],
    ["exits", sig.exits],
    ["shortEntries", sig.shortEntries],
    ["shortExits", sig.shortExits],
    ["score", sig.score],
    ["stopLoss", sig.stopLoss],
    ["takeProfit", sig.takeProfit],
  ];
  for (const [name, arr] of arrays) {
    if (arr === undefined) {
      if (name === "entries" || name === "exits")
        throw new InvalidInputError(sym, -1, "missing_signals", `signals.${name} is missing`);
      continue;
    }
    if (arr.length !== n) {
      throw new InvalidInputError(
        sym,
        -1,
        "signal_length",
        `signals.${name} has ${arr.length} values but the series has ${n} bars`,
      );
    }
  }
}

/**
 * Throws {@link InvalidInputError} unless every series is well-formed, all series share the same
 * timestamps, and each has a signal set of matching length.
 */
export function validateUniverse(universe: readonly BarSeries[], signals: readonly SignalArrays[]): void {
  if (universe.length === 0)
    throw new InvalidInputError("(universe)", -1, "empty_series", "the universe has no symbols");
  if (signals.length !== universe.length) {
    throw new InvalidInputError(
      "(universe)",
      -1,
      "missing_signals",
      `${universe.length} symbols but ${signals.length} signal sets`,
    );
  }
  const ref = universe[0];
  for (let k = 0; k < universe.length; k++) {
    const s = universe[k];
    checkSeries(s);
    checkSignals(s.symbol, s.close.length, signals[k]);
    if (k > 0) {
      if (s.close.length !== ref.close.length) {
        throw new InvalidInputError(
          s.symbol,
          -1,
          "misaligned_universe",
          `has ${s.close.length} bars but ${ref.symbol} has ${ref.close.length}`,
        );
      }
      const a = s.timestampsMs,
        b = ref.timestampsMs;
      for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i])
          throw new InvalidInputError(
            s.symbol,
            i,
            "misaligned_universe",
            `timestamp ${a[i]} differs from ${ref.symbol}'s ${b[i]}`,
          );
      }
    }
  }
}
