import { describe, expect, it } from "vitest";
import type { StrategyInput } from "@/lib/sdk/bars";
import { checkLookAhead, lookAheadCuts, signalQuotas } from "@/lib/sdk/look-ahead";
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

const runnerOf = (fn: (b: StrategyBars) => StrategyOutput) => async (inputs: StrategyInput[]) =>
  inputs.map((x) => fn(x.bars));

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
    // Hand check: cut after bar i, bar i cannot see bar i + 1, so it differs from the full run
    // exactly where the full series rises from i to i + 1 — each such bar is an entry, so the
    // first entry bar (i ≥ 1: a one-bar history is not run) is where the difference shows.
    const closes = inputs[0].bars.close;
    let expected = 1;
    while (!(closes[expected + 1] > closes[expected])) expected++;
    expect(result.firstBar).toBe(expected);
    expect(result.symbol, "all three series are alike; the first one wins ties").toBe("AAA");
  });

  it("flags a rare-event peek on any symbol, checking every signal bar (entries[i] = close[i+1] > 1.04 * close[i])", async () => {
    // Five calm series; only the last three jump 5 % at a few bars away from the quarter cuts.
    const jumps: Record<string, number[]> = { S3: [37], S4: [61, 140], S5: [113] };
    const calm = (symbol: string): StrategyInput => {
      const close = new Float64Array(200);
      for (let i = 0; i < 200; i++)
        close[i] =
          (i === 0 ? 100 : close[i - 1]) * ((jumps[symbol] ?? []).includes(i) ? 1.05 : 1 + 0.001 * Math.sin(i));
      return { symbol, bars: { open: close, high: close, low: close, close, volume: close, timestamps: close } };
    };
    const xs = ["S1", "S2", "S3", "S4", "S5"].map(calm);
    const beforeJump = (b: StrategyBars): StrategyOutput => {
      const n = b.close.length;
      const entries = new Uint8Array(n);
      for (let i = 0; i < n; i++) entries[i] = b.close[i + 1] > 1.04 * b.close[i] ? 1 : 0;
      return { entries, exits: new Uint8Array(n) };
    };
    const full = xs.map((x) => beforeJump(x.bars));
    expect(
      full.map((f) => Array.from(f.entries).filter(Boolean).length),
      "one entry the day before each jump",
    ).toEqual([0, 0, 1, 2, 1]);
    const result = await checkLookAhead(runnerOf(beforeJump), xs, full);
    expect(result).toMatchObject({
      usesFutureData: true,
      output: "entries",
      symbol: "S3",
      firstBar: 36,
      signalsChecked: 4,
      signalsTotal: 4,
      symbolsChecked: 3,
    });
    const honestFull = xs.map((x) => honest(x.bars));
    const clean = await checkLookAhead(runnerOf(honest), xs, honestFull);
    expect(clean.usesFutureData).toBe(false);
    expect(clean.symbolsChecked, "every symbol with signals is checked").toBe(5);
  });

  it("samples signals evenly over symbols past the budget and says how many were checked", async () => {
    const full = inputs.map((x) => honest(x.bars));
    const total = full.reduce(
      (sum, f, k) =>
        sum +
        Array.from(f.entries)
          .slice(0, inputs[k].bars.close.length - 1)
          .filter(Boolean).length,
      0,
    );
    const result = await checkLookAhead(runnerOf(honest), inputs, full, { maxSignalChecks: 30 });
    expect(result).toMatchObject({ usesFutureData: false, signalsChecked: 30, signalsTotal: total, symbolsChecked: 3 });
    expect(signalQuotas([100, 3, 50], 30), "equal shares; a short symbol's leftover goes to the others").toEqual([
      14, 3, 13,
    ]);
    expect(signalQuotas([0, 5], 30)).toEqual([0, 5]);
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
