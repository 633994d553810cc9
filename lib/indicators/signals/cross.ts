import { checkSameLength, checkSeries } from "../internal/validate";

function crossing(fn: string, a: ArrayLike<number>, b: ArrayLike<number> | number, above: boolean): Uint8Array {
  checkSeries(fn, "a", a);
  const scalar = typeof b === "number";
  if (!scalar) checkSameLength(fn, { a, b });
  const n = a.length;
  const out = new Uint8Array(n);
  let prevA = a.length > 0 ? a[0] : NaN;
  let prevB = scalar ? b : n > 0 ? b[0] : NaN;
  for (let i = 1; i < n; i++) {
    const x = a[i];
    const y = scalar ? b : b[i];
    if (above ? x > y && prevA <= prevB : x < y && prevA >= prevB) out[i] = 1;
    prevA = x;
    prevB = y;
  }
  return out;
}

/**
 * 1 on bars where `a` crosses above `b`: `a[i] > b[i] && a[i-1] <= b[i-1]`, else 0.
 * `b` may be a constant. Bar 0 and any comparison involving NaN give 0.
 */
export function crossover(a: ArrayLike<number>, b: ArrayLike<number> | number): Uint8Array {
  return crossing("crossover", a, b, true);
}

/**
 * 1 on bars where `a` crosses below `b`: `a[i] < b[i] && a[i-1] >= b[i-1]`, else 0.
 * `b` may be a constant. Bar 0 and any comparison involving NaN give 0.
 */
export function crossunder(a: ArrayLike<number>, b: ArrayLike<number> | number): Uint8Array {
  return crossing("crossunder", a, b, false);
}
