import { describe, expect, it } from "vitest";
import { ta as indicators } from "@/lib/indicators";
import { StrategyDefinitionError } from "@/lib/sdk/params";
import { defineStrategy, ta } from "@/lib/sdk/runtime";
import type { StrategyDefinition } from "@/lib/sdk/types";

const signals = () => ({ entries: [], exits: [] });

describe("defineStrategy", () => {
  it("returns the definition and hands strategies the indicator library", () => {
    const def = defineStrategy({ name: "x", params: { n: { type: "int", min: 1, max: 5, default: 2 } }, signals });
    expect(def.name).toBe("x");
    expect(def.params.n.default).toBe(2);
    expect(ta).toBe(indicators);
  });

  it("treats a missing params block as no params", () => {
    const def = defineStrategy({ name: "x", signals } as unknown as StrategyDefinition);
    expect(def.params).toEqual({});
  });

  it.each([
    [{ params: {}, signals }, /non-empty string `name`/],
    [{ name: " ", params: {}, signals }, /non-empty string `name`/],
    [{ name: "x", params: {} }, /signals\(bars, params, ta\)/],
    [
      { name: "x", params: { n: { type: "int", min: 3, max: 1, default: 2 } }, signals },
      /param "n": min 3 is greater than max 1/,
    ],
    [{ name: "x", params: {}, fundamentals: "yes", signals }, /`fundamentals` must be true or false/],
    [{ name: "x", description: 5, params: {}, signals }, /`description` must be a string/],
  ])("rejects a malformed definition (%#)", (def, message) => {
    expect(() => defineStrategy(def as unknown as StrategyDefinition)).toThrow(StrategyDefinitionError);
    expect(() => defineStrategy(def as unknown as StrategyDefinition)).toThrow(message);
  });
});
