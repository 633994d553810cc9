import { describe, expect, it } from "vitest";
import { withParamDefaults } from "@/lib/optimize/defaults";
import { EXAMPLES } from "@/lib/sdk/examples";
import { localRunner } from "@/tests/helpers/local-runner";

describe("save optimized params as the new defaults", () => {
  it("rewrites only the defaults; the strategy declares the new values", async () => {
    const src = EXAMPLES["sma-cross"].source;
    const out = withParamDefaults(src, { fast: 12, slow: 48, short: true });
    const info = await localRunner.inspect(out);
    expect(info.params.fast.default).toBe(12);
    expect(info.params.slow.default).toBe(48);
    expect(info.params.short.default).toBe(true);
    expect(out.replace(/default: (12|48|true)/g, "")).toBe(src.replace(/default: (10|20|false)/g, ""));
    const rsi = withParamDefaults(EXAMPLES["rsi-volume"].source, { oversold: 27.5 });
    expect((await localRunner.inspect(rsi)).params.oversold.default).toBe(27.5);
  });
  it("refuses a param it cannot find", () => {
    expect(() => withParamDefaults(EXAMPLES["sma-cross"].source, { nope: 1 })).toThrow(
      /could not find the declaration of param "nope"/,
    );
  });
});
