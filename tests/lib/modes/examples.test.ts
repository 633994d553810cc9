/**
 * Every example strategy checked against a hand-written loop of its rule on the real GOOG
 * series (and the demo universe's fundamentals for the value screen). The examples run as
 * plain code here (trusted source); the sandbox path is covered in modes.test.ts.
 */
import { readFileSync } from "node:fs";
import { RSI } from "trading-signals";
import { describe, expect, it } from "vitest";
import { parseBarsCsv } from "@/lib/data/csv";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import type { SignalArrays } from "@/lib/engine/signals";
import { toStrategyInput } from "@/lib/sdk/bars";
import { EXAMPLES } from "@/lib/sdk/examples";
import { localRunner } from "@/tests/helpers/local-runner";

const goog = parseBarsCsv(readFileSync("../shared/data/GOOG.csv", "utf8"), { symbol: "GOOG" }).series;
const { close, open, high, low, volume } = goog;
const n = close.length;

async function run(name: string, params: Record<string, number | boolean | string> = {}): Promise<SignalArrays> {
  const [out] = await localRunner.signals(EXAMPLES[name].source, [toStrategyInput(goog)], params);
  return out;
}

/** Mean of x[from..to) by a plain loop. */
function mean(x: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i];
  return s / (to - from);
}

function smaAt(x: ArrayLike<number>, i: number, p: number): number {
  return i + 1 < p ? NaN : mean(x, i + 1 - p, i + 1);
}

function bars(flags: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
  return out;
}

describe("sma-cross", () => {
  it("enters on the bar the fast SMA closes above the slow one and exits on the cross back", async () => {
    const out = await run("sma-cross", { fast: 10, slow: 20 });
    const up: number[] = [];
    const down: number[] = [];
    for (let i = 20; i < n; i++) {
      const [f0, s0, f1, s1] = [
        smaAt(close, i - 1, 10),
        smaAt(close, i - 1, 20),
        smaAt(close, i, 10),
        smaAt(close, i, 20),
      ];
      if (f1 > s1 && f0 <= s0) up.push(i);
      if (f1 < s1 && f0 >= s0) down.push(i);
    }
    expect(bars(out.entries)).toEqual(up);
    expect(bars(out.exits)).toEqual(down);
    expect(out.shortEntries, "long-only by default").toBeUndefined();
    expect(out.score?.[100]).toBeCloseTo((smaAt(close, 100, 10) / smaAt(close, 100, 20) - 1) * 100, 9);
  });

  it("reverses on every cross with short=true", async () => {
    const out = await run("sma-cross", { short: true });
    expect([...(out.shortEntries ?? [])]).toEqual([...out.exits]);
    expect([...(out.shortExits ?? [])]).toEqual([...out.entries]);
  });
});

describe("rsi-volume", () => {
  it("enters where Wilder RSI (trading-signals) is oversold on a volume spike, away from rounding edges", async () => {
    const out = await run("rsi-volume", { volumeMultiple: 1.5 });
    const rsi = new RSI(14);
    let checked = 0;
    for (let i = 0; i < n; i++) {
      const r = rsi.add(close[i]);
      if (r === null || i < 21) continue;
      const ratio = volume[i] / mean(volume, i - 20, i);
      const rv = Number(r);
      if (Math.abs(rv - 30) < 1e-6 || Math.abs(ratio - 1.5) < 1e-9) continue;
      expect(out.entries[i], `bar ${i}: rsi ${rv.toFixed(2)} ratio ${ratio.toFixed(2)}`).toBe(
        rv < 30 && ratio >= 1.5 ? 1 : 0,
      );
      if (rv > 55.000001) expect(out.exits[i]).toBe(1);
      checked++;
    }
    expect(checked).toBeGreaterThan(2000);
    expect(bars(out.entries).length, "GOOG has a few capitulation days").toBeGreaterThan(0);
  });
});

describe("breakout", () => {
  it("enters on a close above the prior 20-bar high and stops at the prior 10-bar low", async () => {
    const out = await run("breakout");
    for (let i = 20; i < n; i++) {
      let hh = -Infinity;
      for (let j = i - 20; j < i; j++) hh = Math.max(hh, high[j]);
      let ll = Infinity;
      for (let j = i - 10; j < i; j++) ll = Math.min(ll, low[j]);
      expect(out.entries[i]).toBe(close[i] > hh ? 1 : 0);
      expect(out.exits[i]).toBe(close[i] < ll ? 1 : 0);
      expect(out.stopLoss?.[i]).toBe(ll);
    }
  });
});

describe("gap-up", () => {
  it("enters on a 3 % gap with 1.5× volume and exits exactly holdBars later", async () => {
    const out = await run("gap-up", { gapPct: 2, holdBars: 4 });
    const expected: number[] = [];
    for (let i = 21; i < n; i++) {
      const gap = (open[i] / close[i - 1] - 1) * 100;
      if (gap >= 2 && volume[i] / mean(volume, i - 20, i) >= 1.5) expected.push(i);
    }
    expect(expected.length).toBeGreaterThan(5);
    expect(bars(out.entries)).toEqual(expected);
    for (const e of expected) {
      const nextEntry = expected.find((x) => x > e) ?? Infinity;
      if (e + 4 < n && nextEntry > e + 4) expect(out.exits[e + 4], `exit 4 bars after ${e}`).toBe(1);
    }
  });
});

describe("bollinger-reversion", () => {
  it("enters below SMA − 2 × population std and exits at the SMA", async () => {
    const out = await run("bollinger-reversion");
    for (let i = 19; i < n; i++) {
      const m = mean(close, i - 19, i + 1);
      let v = 0;
      for (let j = i - 19; j <= i; j++) v += (close[j] - m) ** 2;
      const lower = m - 2 * Math.sqrt(v / 20);
      if (Math.abs(close[i] - lower) > 1e-6) expect(out.entries[i], `bar ${i}`).toBe(close[i] < lower ? 1 : 0);
      if (Math.abs(close[i] - m) > 1e-6) expect(out.exits[i]).toBe(close[i] >= m ? 1 : 0);
    }
  });
});

describe("momentum-rank", () => {
  it("scores the return from lookback to skip bars ago, in percent", async () => {
    const out = await run("momentum-rank", { lookback: 60, skip: 5, trendPeriod: 50 });
    for (const i of [65, 500, 1500, n - 1]) {
      expect(out.score?.[i]).toBeCloseTo((close[i - 5] / close[i - 60] - 1) * 100, 9);
      const mom = (close[i - 5] / close[i - 60] - 1) * 100;
      expect(out.entries[i]).toBe(mom >= 5 && close[i] > smaAt(close, i, 50) ? 1 : 0);
    }
    expect(Number.isNaN(out.score?.[59] ?? 0), "no momentum before the lookback is filled").toBe(true);
  });
});

describe("value-screen", () => {
  it("enters only where P/E, debt/equity and market cap pass, using the demo fundamentals", async () => {
    const demo = generateDemoUniverse({ symbols: 20, years: 1 });
    const inputs = demo.symbols.map((d) => toStrategyInput(d.series, d.fundamentals));
    const outs = await localRunner.signals(EXAMPLES["value-screen"].source, inputs, { maxPe: 20, maxDebtToEquity: 1 });
    let entries = 0;
    demo.symbols.forEach((d, k) => {
      const f = d.fundamentals;
      for (let i = 0; i < d.series.close.length; i++) {
        const pass =
          f.pe[i] > 0 && f.pe[i] <= 20 && f.debtToEquity[i] >= 0 && f.debtToEquity[i] <= 1 && f.marketCap[i] >= 1e9;
        expect(outs[k].entries[i], `${d.symbol} bar ${i}`).toBe(pass ? 1 : 0);
        entries += outs[k].entries[i];
      }
    });
    expect(entries, "the demo universe holds some value names").toBeGreaterThan(0);
  });

  it("never enters on bars without fundamentals", async () => {
    const out = await run("value-screen");
    expect(bars(out.entries)).toEqual([]);
  });
});

describe("every example", () => {
  it.each(Object.keys(EXAMPLES))("%s gives a score for screens and entries for alerts", async (name) => {
    const out = await run(name);
    expect(out.score, "score drives the screen ranking").toBeInstanceOf(Float64Array);
    expect(out.entries.length).toBe(n);
  });
});
