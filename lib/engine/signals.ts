/**
 * What a strategy hands the engine for one symbol: arrays aligned with that symbol's bars.
 * A 1 in `entries[i]` means "go long on the information available at bar i's close";
 * the engine fills it on bar i+1's open by default (see lib/engine/README.md).
 */
export interface SignalArrays {
  /** 1 = open a long position (or stay long). */
  entries: Uint8Array;
  /** 1 = close a long position. */
  exits: Uint8Array;
  /** 1 = open a short position. */
  shortEntries?: Uint8Array;
  /** 1 = close a short position. */
  shortExits?: Uint8Array;
  /** Ranking value: higher is better. Used by screens and to choose among more entries than free slots. NaN = no score. */
  score?: Float64Array;
  /** Absolute stop-loss price for a position opened from the signal on this bar. NaN = none. */
  stopLoss?: Float64Array;
  /** Absolute take-profit price for a position opened from the signal on this bar. NaN = none. */
  takeProfit?: Float64Array;
  /** Confidence of the signal in [0, 1]. NaN = not given. */
  confidence?: Float64Array;
}
