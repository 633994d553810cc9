import { describe, expect, it } from "vitest";
import { StrategyOutputError, normalizeOutput, sliceBars } from "@/lib/sdk/normalize";

describe("normalizeOutput", () => {
  it("copies flags into 0/1 bytes and keeps optional numeric outputs", () => {
    const out = normalizeOutput(
      { entries: [true, false, 1], exits: Uint8Array.of(0, 2, 0), score: [1, NaN, 3], confidence: [0, 0.5, 1] },
      3,
      "AAA",
    );
    expect([...out.entries]).toEqual([1, 0, 1]);
    expect([...out.exits]).toEqual([0, 1, 0]);
    expect(out.score).toBeInstanceOf(Float64Array);
    expect([...(out.score ?? [])]).toEqual([1, NaN, 3]);
    expect(out.shortEntries).toBeUndefined();
  });

  it("names the symbol, the output and the bar when the shape is wrong", () => {
    const bad = (raw: unknown) => () => normalizeOutput(raw, 3, "AAA");
    expect(bad(null)).toThrow(StrategyOutputError);
    expect(bad({ exits: [0, 0, 0] })).toThrow(/AAA: signals\(\) returned no "entries"/);
    expect(bad({ entries: [0, 0], exits: [0, 0, 0] })).toThrow(/"entries" has 2 values but there are 3 bars/);
    expect(bad({ entries: [0, "1", 0], exits: [0, 0, 0] })).toThrow(/"entries"\[1\] must be true\/false or 1\/0/);
    expect(bad({ entries: [0, 0, 0], exits: [0, 0, 0], score: [1, Infinity, 2] })).toThrow(
      /"score"\[1\] must be a finite number or NaN/,
    );
    expect(bad({ entries: [0, 0, 0], exits: [0, 0, 0], confidence: [0, 1.5, 0] })).toThrow(/must lie in \[0, 1\]/);
    expect(bad({ entries: "101", exits: [0, 0, 0] })).toThrow(/must be an array/);
  });
});

describe("sliceBars", () => {
  it("returns views of the first k bars and keeps non-array fields", () => {
    const close = Float64Array.of(1, 2, 3, 4);
    const bars = { open: close, high: close, low: close, close, volume: close, timestamps: close, sector: "Tech" };
    const cut = sliceBars(bars, 2);
    expect([...cut.close]).toEqual([1, 2]);
    expect(cut.sector).toBe("Tech");
    expect(cut.close.buffer).toBe(close.buffer);
  });
});
