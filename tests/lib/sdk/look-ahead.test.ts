import { describe, expect, it } from "vitest";
import type { StrategyInput } from "@/lib/sdk/bars";
import { checkLookAhead, lookAheadCuts } from "@/lib/sdk/look-ahead";
import type { StrategyBars, StrategyOutput } from "@/lib/sdk/types";

function input(symbol: string, n: number): StrategyInput {
  const close = Float64Array.from({ length: n }, (_, i) => 100 + 10 * Math.sin(i / 5) + i * 0.1);
  const bars: StrategyBars = { open: close, high: close, low: close, close, volume: close, timestamps: close };
  return { symbol, bars };
}

/** Honest: entry when today's close is above yesterday's. */
const honest = (b: StrategyBars): StrategyOutput => {
  const n = b.close.length;
  const entries = new Uint8Array(n);
  for (let i = 1; i < n; i++) entries[i] = b.close[i] > b.close[i - 1] ? 1 : 0;
  return { entries, exits: new Uint8Array(n) };
};

/** Peeks: entry when tomorrow's close is higher (reads close[i + 1]). */
const peeking = (b: StrategyBars): StrategyOutput => {
  const n = b.close.length;
  const entries = new Uint8Array(n);
  for (let i = 0; i < n; i++) entries[i] = b.close[i + 1] > b.close[i] ? 1 : 0;
  return { entries, exits: new Uint8Array(n) };
};

/** Normalises its score by the whole series' maximum — a subtler use of the future. */
const globalMax = (b: StrategyBars): StrategyOutput => {
  const n = b.close.length;
  const max = Math.max(...b.close);
  return { entries: new Uint8Array(n), exits: new Uint8Array(n), score: b.close.map((c) => c / max) };
};

const runnerOf = (fn: (b: StrategyBars) => StrategyOutput) => async (inputs: StrategyInput[]) => inputs.map((x) => fn(x.bars));

describe("checkLookAhead", () => {
  const inputs = [input("AAA", 200), input("BBB", 120), input("CCC", 80)];

  it("passes a strategy that only reads the past", async () => {
    const full = inputs.map((x) => honest(x.bars));
    const result = await checkLookAhead(runnerOf(honest), inputs, full);
    expect(result.usesFutureData).toBe(false);
    expect(result.cuts.length).toBeGreaterThan(3);
  });

  it("flags a strategy reading close[i + 1] at the bar before a cut", async () => {
    const full = inputs.map((x) => peeking(x.bars));
    const result = await checkLookAhead(runnerOf(peeking), inputs, full);
    expect(result.usesFutureData).toBe(true);
    expect(result.output).toBe("entries");
    // Hand check: in a prefix of length k, bar k − 1 cannot see a bar k, so it differs from the full
    // run exactly where the full series rose from k − 1 to k. The answer is the smallest such k − 1.
    let expected = Infinity;
    let expectedSymbol = "";
    for (const x of inputs.slice(0, 2)) {
      for (const k of lookAheadCuts(x.bars.close.length)) {
        if (x.bars.close[k] > x.bars.close[k - 1] && k - 1 < expected) [expected, expectedSymbol] = [k - 1, x.symbol];
      }
    }
    expect(result.firstBar).toBe(expected);
    expect(result.symbol).toBe(expectedSymbol);
  });

  it("flags a score normalised by the whole history", async () => {
    const full = inputs.map((x) => globalMax(x.bars));
    const result = await checkLookAhead(runnerOf(globalMax), inputs, full);
    expect(result.usesFutureData).toBe(true);
    expect(result.output).toBe("score");
    expect(result.firstBar).toBe(0);
  });

  it("runs every prefix in a single runner call and reports a failing runner as inconclusive", async () => {
    let calls = 0;
    const full = inputs.map((x) => honest(x.bars));
    await checkLookAhead(async (xs) => (calls++, xs.map((x) => honest(x.bars))), inputs, full);
    expect(calls).toBe(1);
    const failed = await checkLookAhead(async () => Promise.reject(new Error("boom")), inputs, full);
    expect(failed).toMatchObject({ usesFutureData: false, error: "boom" });
  });

  it("cuts at quarter points and one bar before the end", () => {
    expect(lookAheadCuts(100)).toEqual([25, 50, 75, 99]);
    expect(lookAheadCuts(3)).toEqual([2]);
  });
});
