/**
 * Attaches a `warmup(...params)` function to an indicator: the number of leading bars that
 * are NaN for an input without missing values. Multi-output indicators return one count per
 * output key.
 */
export function withWarmup<F extends (...args: never[]) => unknown, W extends (...params: never[]) => unknown>(
  fn: F,
  warmup: W,
): F & { readonly warmup: W } {
  return Object.assign(fn, { warmup });
}
