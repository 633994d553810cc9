/**
 * Typed errors of the engine. Services translate them to `AppError("INVALID_INPUT")`; the message
 * is a sentence naming the symbol, the bar and what is wrong.
 */

/** What exactly is wrong with the bars or signals handed to the engine. */
export type InputProblem =
  | "empty_series"
  | "misaligned_arrays"
  | "non_finite_price"
  | "non_positive_price"
  | "high_below_low"
  | "ohlc_outside_range"
  | "unsorted_timestamps"
  | "duplicate_timestamps"
  | "misaligned_universe"
  | "signal_length"
  | "missing_signals";

/** Bars or signals the engine refuses to simulate; never a silent wrong number. */
export class InvalidInputError extends Error {
  readonly symbol: string;
  /** Bar index of the first offending bar, or -1 when the problem is not about one bar. */
  readonly bar: number;
  readonly problem: InputProblem;

  constructor(symbol: string, bar: number, problem: InputProblem, detail: string) {
    super(`${symbol}${bar >= 0 ? ` bar ${bar}` : ""}: ${detail}`);
    this.name = "InvalidInputError";
    this.symbol = symbol;
    this.bar = bar;
    this.problem = problem;
  }
}

/** A config value outside its allowed range. `field` is the dotted path, e.g. `costs.commissionRate`. */
export class InvalidConfigError extends Error {
  readonly field: string;

  constructor(field: string, detail: string) {
    super(`config ${field} ${detail}`);
    this.name = "InvalidConfigError";
    this.field = field;
  }
}
