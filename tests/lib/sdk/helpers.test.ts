import { describe, expect, it } from "vitest";
import { and, barsSince, clamp, ffill, fill, mask, not, or, where } from "@/lib/sdk/helpers";

describe("flag helpers", () => {
  it("combine truthy values of any flag kind", () => {
    const a = [1, 0, 1, 1];
    const b = [true, true, false, true];
    const c = Float64Array.of(1, 1, 1, NaN);
    expect([...and(a, b, c)]).toEqual([1, 0, 0, 0]);
    expect([...or(a, [0, 0, 0, 0])]).toEqual([1, 0, 1, 1]);
    expect([...not(c)]).toEqual([0, 0, 0, 1]);
    expect([...mask(4, (i) => i % 2 === 0)]).toEqual([1, 0, 1, 0]);
  });

  it("refuse arrays of different lengths, naming the offending argument", () => {
    expect(() => and([1, 0], [1])).toThrow(/array 1 has length 1, expected 2/);
  });

  it("count bars since the last flag, NaN before the first", () => {
    expect([...barsSince([0, 1, 0, 0, 1, 0])]).toEqual([NaN, 0, 1, 2, 0, 1]);
  });
});

describe("number helpers", () => {
  it("fill, forward-fill, select and clamp", () => {
    expect([...fill(3)]).toEqual([NaN, NaN, NaN]);
    expect([...fill(2, 7)]).toEqual([7, 7]);
    expect([...ffill([NaN, 1, NaN, NaN, 4, NaN])]).toEqual([NaN, 1, 1, 1, 4, 4]);
    expect([...where([1, 0, 1], [10, 20, 30], -1)]).toEqual([10, -1, 30]);
    expect([...clamp([-1, 0.5, 2, NaN])]).toEqual([0, 0.5, 1, NaN]);
  });
});
