import { describe, expect, it } from "vitest";
import {
  ParamError,
  StrategyDefinitionError,
  defaultParams,
  resolveParams,
  validateParamSpecs,
} from "@/lib/sdk/params";
import type { ParamSpecs } from "@/lib/sdk/types";

const specs = {
  fast: { type: "int", min: 2, max: 50, default: 10 },
  width: { type: "float", min: 0.5, max: 4, step: 0.1, default: 2 },
  short: { type: "boolean", default: false },
  mode: { type: "enum", options: ["close", "open"], default: "close" },
  grid: { type: "int", min: 5, max: 100, step: 5, default: 20 },
} satisfies ParamSpecs;

describe("resolveParams", () => {
  it("fills defaults and coerces CLI strings", () => {
    expect(resolveParams(specs, {})).toEqual({ fast: 10, width: 2, short: false, mode: "close", grid: 20 });
    expect(resolveParams(specs, { fast: "12", width: "2.3", short: "true", mode: "open", grid: "35" })).toEqual({
      fast: 12,
      width: 2.3,
      short: true,
      mode: "open",
      grid: 35,
    });
    expect(defaultParams(specs).short).toBe(false);
  });

  it("rejects an unknown name and lists the known ones", () => {
    expect(() => resolveParams(specs, { fats: 3 })).toThrow(ParamError);
    expect(() => resolveParams(specs, { fats: 3 })).toThrow(/unknown param "fats".*fast, width/);
  });

  it("rejects out-of-range, non-integer, off-step and wrongly typed values with the param's name", () => {
    expect(() => resolveParams(specs, { fast: 51 })).toThrow(/"fast" must be between 2 and 50, got 51/);
    expect(() => resolveParams(specs, { fast: "10.5" })).toThrow(/"fast" must be an integer/);
    expect(() => resolveParams(specs, { grid: 22 })).toThrow(/"grid" must be 5 plus a multiple of step 5/);
    expect(() => resolveParams(specs, { width: "2.35" })).toThrow(/"width" must be 0.5 plus a multiple of step 0.1/);
    expect(() => resolveParams(specs, { fast: "ten" })).toThrow(/"fast" must be a number/);
    expect(() => resolveParams(specs, { short: "yes" })).toThrow(/"short" must be true or false/);
    expect(() => resolveParams(specs, { mode: "high" })).toThrow(/"mode" must be one of close, open/);
  });

  it("accepts float steps despite binary round-off (0.5 + 18 × 0.1)", () => {
    expect(resolveParams(specs, { width: 0.5 + 18 * 0.1 }).width).toBeCloseTo(2.3, 12);
  });
});

describe("validateParamSpecs", () => {
  it("accepts well-formed declarations", () => {
    expect(() => validateParamSpecs(specs)).not.toThrow();
  });

  it.each([
    [{ a: { type: "int", min: 5, max: 1, default: 3 } }, /min 5 is greater than max 1/],
    [{ a: { type: "int", min: 1, max: 5, default: 9 } }, /default must be between 1 and 5/],
    [{ a: { type: "int", min: 1.5, max: 5, default: 2 } }, /must be integers/],
    [{ a: { type: "float", min: 0, max: 1, step: -1, default: 0 } }, /step must be a positive number/],
    [{ a: { type: "boolean", default: "no" } }, /default of a boolean/],
    [{ a: { type: "enum", options: [], default: "x" } }, /non-empty array/],
    [{ a: { type: "enum", options: ["x"], default: "y" } }, /default must be one of x/],
    [{ a: { type: "string", default: "" } }, /type must be/],
    [{ "bad name": { type: "boolean", default: true } }, /identifier/],
  ])("rejects %j", (bad, message) => {
    expect(() => validateParamSpecs(bad)).toThrow(StrategyDefinitionError);
    expect(() => validateParamSpecs(bad)).toThrow(message);
  });
});
