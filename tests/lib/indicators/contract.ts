import { describe, expect, it } from "vitest";

/** Named input series an indicator reads (close, high, ...), all the same length. */
export type SeriesInputs = Record<string, Float64Array>;

/** One indicator configuration checked by {@link testIndicatorContract}. */
export interface ContractCase {
  /** Label, e.g. "rsi(14)". */
  name: string;
  /** Calls the indicator on the given inputs. */
  run: (inputs: SeriesInputs) => Float64Array | Record<string, Float64Array>;
  /** The documented warm-up (from `fn.warmup(...)`): one count, or one per output key. */
  warmup: number | Record<string, number>;
}

function outputsOf(result: Float64Array | Record<string, Float64Array>): Record<string, Float64Array> {
  return result instanceof Float64Array ? { value: result } : result;
}

function warmupOf(warmup: ContractCase["warmup"], key: string): number {
  if (typeof warmup === "number") return warmup;
  const w = warmup[key];
  if (w === undefined) throw new Error(`no warm-up documented for output "${key}"`);
  return w;
}

function slice(inputs: SeriesInputs, end: number): SeriesInputs {
  const out: SeriesInputs = {};
  for (const [k, v] of Object.entries(inputs)) out[k] = v.slice(0, end);
  return out;
}

/**
 * The contract every indicator meets (after trading-signals' shared indicator contract test):
 * outputs are Float64Arrays as long as the input; exactly the first `warmup` values are NaN
 * and every later value is finite (for gap-free inputs); inputs are not mutated; and a run
 * on any prefix of the data gives the same values as the full run (no look-ahead).
 */
export function testIndicatorContract(c: ContractCase, inputs: SeriesInputs): void {
  describe(`${c.name} contract`, () => {
    const n = Object.values(inputs)[0].length;
    const full = outputsOf(c.run(inputs));

    it("returns new Float64Arrays aligned with the input", () => {
      for (const [key, out] of Object.entries(full)) {
        expect(out, key).toBeInstanceOf(Float64Array);
        expect(out.length, key).toBe(n);
        for (const src of Object.values(inputs))
          expect(out.buffer, `${key} shares the input buffer`).not.toBe(src.buffer);
      }
    });

    it("is NaN exactly during the documented warm-up", () => {
      for (const [key, out] of Object.entries(full)) {
        const w = warmupOf(c.warmup, key);
        const firstFinite = out.findIndex((x) => Number.isFinite(x));
        expect(firstFinite, `${key}: first finite index = warm-up`).toBe(w);
        const laterNaN = out.slice(w).findIndex((x) => !Number.isFinite(x));
        expect(laterNaN, `${key}: no NaN after warm-up`).toBe(-1);
      }
    });

    it("does not mutate its inputs", () => {
      const copies = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.slice()]));
      c.run(inputs);
      for (const [k, v] of Object.entries(inputs)) expect(Array.from(v), k).toEqual(Array.from(copies[k]));
    });

    it("gives the same values on every prefix of the data (no look-ahead)", () => {
      const ends = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, Math.floor(n / 3), Math.floor(n / 2), n - 1];
      for (const end of ends) {
        if (end < 1 || end > n) continue;
        const part = outputsOf(c.run(slice(inputs, end)));
        for (const [key, out] of Object.entries(part)) {
          expect(out.length).toBe(end);
          const expected = full[key].subarray(0, end);
          // Same operations in the same order: the values must be bit-identical.
          expect(Array.from(out), `${key} on bars [0, ${end})`).toEqual(Array.from(expected));
        }
      }
    });
  });
}
