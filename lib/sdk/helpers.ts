/**
 * Small array helpers strategies commonly need, exported by `@strategy-lab/sdk`.
 * Flags are any truthy/falsy per bar (1/0, true/false, NaN is false); outputs are new arrays.
 */

type Flags = ArrayLike<number | boolean>;

function commonLength(arrays: readonly ArrayLike<unknown>[], fn: string): number {
  if (arrays.length === 0) throw new RangeError(`${fn}() needs at least one array`);
  const n = arrays[0].length;
  for (let k = 1; k < arrays.length; k++) {
    if (arrays[k].length !== n)
      throw new RangeError(`${fn}(): array ${k} has length ${arrays[k].length}, expected ${n} like array 0`);
  }
  return n;
}

/** 1 where every input flag is truthy, else 0. */
export function and(...flags: Flags[]): Uint8Array {
  const n = commonLength(flags, "and");
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let v = 1;
    for (const f of flags)
      if (!f[i]) {
        v = 0;
        break;
      }
    out[i] = v;
  }
  return out;
}

/** 1 where at least one input flag is truthy, else 0. */
export function or(...flags: Flags[]): Uint8Array {
  const n = commonLength(flags, "or");
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const f of flags)
      if (f[i]) {
        out[i] = 1;
        break;
      }
  }
  return out;
}

/** 1 where the flag is falsy, else 0. */
export function not(flags: Flags): Uint8Array {
  const out = new Uint8Array(flags.length);
  for (let i = 0; i < flags.length; i++) out[i] = flags[i] ? 0 : 1;
  return out;
}

/** 1 where `predicate(i)` holds, for i in [0, length). */
export function mask(length: number, predicate: (i: number) => boolean): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = predicate(i) ? 1 : 0;
  return out;
}

/** A Float64Array of `length` copies of `value` (NaN by default: "no value"). */
export function fill(length: number, value = NaN): Float64Array {
  return new Float64Array(length).fill(value);
}

/** Carry the last non-NaN value forward over NaN gaps; leading NaNs stay NaN. */
export function ffill(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let last = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) last = v;
    out[i] = last;
  }
  return out;
}

/** Per bar, `cond[i] ? a[i] : b[i]`; `a` and `b` may be arrays or constants. */
export function where(cond: Flags, a: ArrayLike<number> | number, b: ArrayLike<number> | number): Float64Array {
  const out = new Float64Array(cond.length);
  for (let i = 0; i < cond.length; i++) {
    const x = typeof a === "number" ? a : a[i];
    const y = typeof b === "number" ? b : b[i];
    out[i] = cond[i] ? x : y;
  }
  return out;
}

/** Bars since the flag was last truthy (0 on a flagged bar); NaN before the first flag. */
export function barsSince(flags: Flags): Float64Array {
  const out = new Float64Array(flags.length);
  let last = -1;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i]) last = i;
    out[i] = last < 0 ? NaN : i - last;
  }
  return out;
}

/**
 * Clamp each value into [lo, hi]; NaN stays NaN. Handy for turning a raw score into a confidence in [0, 1].
 */
export function clamp(values: ArrayLike<number>, lo = 0, hi = 1): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}
