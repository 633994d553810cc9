/**
 * Argument checks shared by every indicator. Each failure is a RangeError that names the
 * indicator and the argument, so a strategy author sees which call was wrong.
 */

/** Throws unless `value` is an integer >= `min` (default 1). */
export function checkPeriod(fn: string, arg: string, value: number, min = 1): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${fn}: ${arg} must be an integer >= ${min}, got ${String(value)}`);
  }
}

/** Throws unless `value` is a finite number. */
export function checkFinite(fn: string, arg: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${fn}: ${arg} must be a finite number, got ${String(value)}`);
  }
}

/** Throws unless `src` is array-like (has a numeric length). */
export function checkSeries(fn: string, arg: string, src: ArrayLike<number>): void {
  if (src == null || typeof src.length !== "number") {
    throw new RangeError(`${fn}: ${arg} must be an array of numbers`);
  }
}

/**
 * Throws unless every named series has the same length as the first.
 * Returns that common length.
 */
export function checkSameLength(fn: string, series: Record<string, ArrayLike<number>>): number {
  let n = -1;
  let first = "";
  for (const name of Object.keys(series)) {
    const s = series[name];
    checkSeries(fn, name, s);
    if (n < 0) {
      n = s.length;
      first = name;
    } else if (s.length !== n) {
      throw new RangeError(`${fn}: ${name} has length ${s.length} but ${first} has length ${n}`);
    }
  }
  return Math.max(n, 0);
}

/** Index of the first finite value of `src`, or `src.length` when there is none. */
export function firstFinite(src: ArrayLike<number>): number {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const x = src[i];
    if (x - x === 0) return i;
  }
  return n;
}
