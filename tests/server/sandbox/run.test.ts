import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import { SandboxError, SandboxPool } from "@/server/sandbox";
import { inspectWith, runWith } from "@/server/sandbox/run";
import { TINY, googInput, strategyWith, syntheticInput, tinyEntries } from "./helpers";

const pool = new SandboxPool({ size: 1, timeoutMs: 5_000 });
afterAll(() => pool.shutdown());

async function rejection(p: Promise<unknown>): Promise<SandboxError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SandboxError) return err;
    throw err;
  }
  throw new Error("expected a SandboxError");
}

/** Hand-computed simple moving average (NaN until `period` bars exist). */
function sma(x: Float64Array, period: number): number[] {
  return Array.from(x, (_, i) => {
    if (i < period - 1) return NaN;
    let s = 0;
    for (let k = i - period + 1; k <= i; k++) s += x[k];
    return s / period;
  });
}

describe("runStrategySignals through the pool", () => {
  it("runs the SMA-crossover example on GOOG and matches a hand-computed crossover", async () => {
    const goog = googInput();
    const { signals } = await runWith(pool, EXAMPLES["sma-cross"].source, [goog], { fast: 10, slow: 30 });
    const fast = sma(goog.bars.close, 10);
    const slow = sma(goog.bars.close, 30);
    const expected = fast.map((f, i) => (i > 0 && f > slow[i] && fast[i - 1] <= slow[i - 1] ? 1 : 0));
    const got = Array.from(signals[0].entries);
    expect(got.length).toBe(goog.bars.close.length);
    expect(
      got.reduce((a, b) => a + b, 0),
      "GOOG has crossovers",
    ).toBeGreaterThan(10);
    expect(got).toEqual(expected);
    const score = signals[0].score;
    expect(score?.[100]).toBeCloseTo((fast[100] / slow[100] - 1) * 100, 9);
  });

  it("processes many symbols in one call, in input order", async () => {
    const inputs = [syntheticInput("A", 50), syntheticInput("B", 80), syntheticInput("C", 0)];
    const { signals } = await runWith(pool, TINY, inputs, { lag: 2 });
    expect(signals.map((s) => s.entries.length)).toEqual([50, 80, 0]);
    expect(Array.from(signals[1].entries)).toEqual(tinyEntries(inputs[1].bars.close, 2));
  });

  it("fills missing params with the declared defaults", async () => {
    const input = syntheticInput("A", 60);
    const { signals } = await runWith(pool, TINY, [input], {});
    expect(Array.from(signals[0].entries)).toEqual(tinyEntries(input.bars.close, 1));
  });

  it("passes fundamentals and sector, and NaN fundamentals when the strategy asks for them but none are given", async () => {
    const src = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({ name: "f", params: {}, fundamentals: true, signals(bars) {
  const n = bars.close.length;
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) score[i] = (bars.pe as Float64Array)[i] + (bars.sector === "Tech" ? 1000 : 0);
  return { entries: new Uint8Array(n), exits: new Uint8Array(n), score };
} });`;
    const base = syntheticInput("F", 5);
    const fund = (v: number) => new Float64Array(5).fill(v);
    const withFund = {
      symbol: "F",
      bars: {
        ...base.bars,
        marketCap: fund(1),
        pe: fund(12),
        eps: fund(1),
        revenue: fund(1),
        pb: fund(1),
        debtToEquity: fund(1),
        sector: "Tech",
      },
    };
    const { signals } = await runWith(pool, src, [withFund, base], {});
    expect(Array.from(signals[0].score ?? [])).toEqual([1012, 1012, 1012, 1012, 1012]);
    expect(Array.from(signals[1].score ?? []).every(Number.isNaN)).toBe(true);
  });

  it("returns console output with the result", async () => {
    const r = await runWith(
      pool,
      strategyWith(
        `console.log("bars", n, { a: 1 }); return { entries: new Uint8Array(n), exits: new Uint8Array(n) };`,
      ),
      [syntheticInput("A", 3)],
      {},
    );
    expect(r.logs).toBe('bars 3 {"a":1}\n');
  });

  it("reads a strategy's declaration", async () => {
    const info = await inspectWith(pool, TINY);
    expect(info).toEqual({
      name: "tiny",
      description: "up-day follower",
      params: { lag: { type: "int", min: 1, max: 10, step: 1, default: 1 } },
      fundamentals: false,
      macro: [],
    });
    expect((await inspectWith(pool, EXAMPLES["value-screen"].source)).fundamentals).toBe(true);
  });

  it("runs every SDK example without error", async () => {
    const input = syntheticInput("X", 300);
    for (const [name, example] of Object.entries(EXAMPLES)) {
      const { signals } = await runWith(pool, example.source, [input], {});
      expect(signals[0].entries.length, name).toBe(300);
    }
  });

  it("rejects mismatched input columns with a TypeError naming the symbol", async () => {
    const bad = syntheticInput("BAD", 10);
    bad.bars.open = new Float64Array(9);
    await expect(runWith(pool, TINY, [bad], {})).rejects.toThrow(/BAD: bars\.open has 9 values but close has 10/);
  });

  it("passes declared macro series into the isolate; one not given reads as NaN, a wrong length is refused", async () => {
    const src = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "macro reader",
  params: {},
  macro: ["DGS10", "UNRATE"],
  signals(bars) {
    const n = bars.close.length;
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) score[i] = bars.macro.DGS10[i] * 100 + (Number.isNaN(bars.macro.UNRATE[i]) ? 0 : 1);
    return { entries: new Uint8Array(n), exits: new Uint8Array(n), score };
  },
});`;
    expect((await inspectWith(pool, src)).macro).toEqual(["DGS10", "UNRATE"]);
    const input = syntheticInput("M", 4);
    input.bars.macro = { DGS10: Float64Array.from([NaN, 4, 4.5, 5]) };
    const { signals } = await runWith(pool, src, [input], {});
    expect(Array.from(signals[0].score ?? [])).toEqual([NaN, 400, 450, 500]);
    input.bars.macro = { DGS10: new Float64Array(3) };
    await expect(runWith(pool, src, [input], {})).rejects.toThrow(/M: bars\.macro\.DGS10 has 3 values but close has 4/);
    const bad = src.replace('macro: ["DGS10", "UNRATE"]', 'macro: ["dgs10"]');
    await expect(inspectWith(pool, bad)).rejects.toThrow(/`macro` must be a list of at most 16 series ids/);
    // A plain exported object skips defineStrategy's check; the host makes it.
    const plain = bad
      .replace("defineStrategy({", "({")
      .replace('import { defineStrategy } from "@strategy-lab/sdk";\n', "");
    await expect(inspectWith(pool, plain)).rejects.toThrow(/`macro` must be a list of at most 16 series ids/);
  });
});

describe("error positions", () => {
  it("maps a runtime error to the user's line and column", async () => {
    const src = [
      'import { defineStrategy } from "@strategy-lab/sdk";',
      "type Bars = { close: Float64Array };",
      "export default defineStrategy({ name: 'x', params: {}, signals(bars: Bars) {",
      "  const n: number = bars.close.length;",
      "  const missing: any = undefined;",
      "  const v: number = missing.field;",
      "  return { entries: new Uint8Array(n), exits: new Uint8Array(n) };",
      "} });",
    ].join("\n");
    const err = await rejection(runWith(pool, src, [syntheticInput("A", 5)], {}));
    expect(err.code).toBe("RUNTIME_ERROR");
    expect(err.line).toBe(6);
    expect(err.column, "V8 points at the property name read on `missing`").toBe(
      src.split("\n")[5].indexOf("field") + 1,
    );
    expect(err.symbol).toBe("A");
    expect(err.message).toMatch(/line 6.*field/);
  });

  it("maps an error thrown on the first line", async () => {
    const src =
      'import { defineStrategy } from "@strategy-lab/sdk"; const z: number = (null as any).x;\nexport default defineStrategy({ name: "x", params: {}, signals() { return null as any; } });';
    const err = await rejection(inspectWith(pool, src));
    expect(err.code).toBe("RUNTIME_ERROR");
    expect(err).toMatchObject({ line: 1, column: src.indexOf(".x;") + 2 });
  });

  it("reports static-check errors before running anything", async () => {
    const err = await rejection(
      runWith(pool, strategyWith("const e = process.env;\nreturn null as any;"), [syntheticInput("A", 5)], {}),
    );
    expect(err.code).toBe("INVALID_SOURCE");
    // strategyWith puts the body on line 8; `process` starts at column 11.
    expect(err).toMatchObject({ line: 8, column: 11 });
    expect(err.errors?.length).toBe(1);
  });

  it("reports an invalid definition from defineStrategy as a runtime error at the call", async () => {
    const src =
      'import { defineStrategy } from "@strategy-lab/sdk";\nexport default defineStrategy({ name: "", params: {}, signals() { return null as any; } });';
    const err = await rejection(inspectWith(pool, src));
    expect(err.code).toBe("RUNTIME_ERROR");
    expect(err.message).toMatch(/name/);
    expect(err.line).toBe(2);
  });
});
