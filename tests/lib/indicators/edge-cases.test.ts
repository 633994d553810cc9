import { describe, expect, it } from "vitest";
import * as ind from "@/lib/indicators";
import { ta } from "@/lib/indicators";
import { loadBars } from "./load-bars";

const arr = (a: Float64Array | Uint8Array) => Array.from(a);

describe("argument checks", () => {
  it("rejects bad periods with a RangeError naming the argument", () => {
    const x = [1, 2, 3];
    expect(() => ind.sma(x, 0)).toThrow(/sma: period must be an integer >= 1, got 0/);
    expect(() => ind.ema(x, 2.5)).toThrow(/ema: period/);
    expect(() => ind.rsi(x, Number.NaN)).toThrow(RangeError);
    expect(() => ind.macd(x, 12, 0)).toThrow(/macd: slow/);
    expect(() => ind.stochastic(x, x, x, 14, 3, 0)).toThrow(/stochastic: smooth/);
    expect(() => ind.adx(x, x, x, 1)).toThrow(/adx: period must be an integer >= 2/);
    expect(() => ind.shift(x, -1)).toThrow(/shift: n must be an integer >= 0/);
    expect(() => ind.bollinger(x, 20, Number.POSITIVE_INFINITY)).toThrow(/bollinger: mult/);
    expect(() => ind.ema(x, 3, { seed: "last" as "sma" })).toThrow(/ema: seed/);
  });

  it("rejects series of different lengths, naming both", () => {
    expect(() => ind.atr([1, 2], [1], [1, 2])).toThrow(/atr: low has length 1 but high has length 2/);
    expect(() => ind.obv([1, 2, 3], [1, 2])).toThrow(/obv: volume/);
    expect(() => ind.crossover([1, 2], [1])).toThrow(/crossover: b/);
  });

  it("handles empty and too-short inputs with all-NaN output", () => {
    expect(ind.sma([], 3).length).toBe(0);
    expect(arr(ind.ema([1, 2], 3))).toEqual([NaN, NaN]);
    expect(arr(ind.rsi([1, 2, 3], 3))).toEqual([NaN, NaN, NaN]);
    expect(arr(ind.atr([2], [1], [1.5], 3))).toEqual([NaN]);
  });

  it("exposes every indicator on the ta object", () => {
    for (const name of [
      "sma",
      "ema",
      "wma",
      "rsi",
      "macd",
      "bollinger",
      "atr",
      "stochastic",
      "adx",
      "obv",
      "vwap",
      "cci",
      "williamsR",
      "roc",
      "rollingStd",
      "rollingMin",
      "rollingMax",
      "zscore",
      "highest",
      "lowest",
      "shift",
      "pctChange",
      "crossover",
      "crossunder",
    ]) {
      expect(typeof (ta as Record<string, unknown>)[name], name).toBe("function");
    }
    expect(Object.isFrozen(ta)).toBe(true);
  });
});

describe("hand-computed values", () => {
  it("crossover/crossunder mark the bar where a passes b (equality counts as 'not above')", () => {
    const a = [1, 2, 3, 3, 2, 1, 2];
    const b = [2, 2, 2, 3, 3, 1, 1];
    expect(arr(ind.crossover(a, b))).toEqual([0, 0, 1, 0, 0, 0, 1]);
    expect(arr(ind.crossunder(a, b))).toEqual([0, 0, 0, 0, 1, 0, 0]);
    expect(arr(ind.crossover([29, 31, 31, 29, 30.5], 30))).toEqual([0, 1, 0, 0, 1]);
    expect(arr(ind.crossover([Number.NaN, 1, 3], [2, 2, 2]))).toEqual([0, 0, 1]);
  });

  it("RSI of a flat series is 50 and of a rising one 100", () => {
    expect(ind.rsi([5, 5, 5, 5, 5], 3)[4]).toBe(50);
    expect(ind.rsi([1, 2, 3, 4, 5], 3)[4]).toBe(100);
    // period 2 on 1,2,1: gains (1,0)/2 = 0.5, losses (0,1)/2 = 0.5 → 50
    expect(ind.rsi([1, 2, 1], 2)[2]).toBe(50);
  });

  it("stochastic %K is 50 and z-score 0 in a flat window", () => {
    const flat = [3, 3, 3, 3];
    expect(ind.stochastic(flat, flat, flat, 3, 1, 1).k[3]).toBe(50);
    expect(ind.zscore(flat, 3)[3]).toBe(0);
    expect(ind.cci(flat, flat, flat, 3)[3]).toBe(0);
  });

  it("shift, pctChange and roc", () => {
    expect(arr(ind.shift([1, 2, 3, 4], 2))).toEqual([NaN, NaN, 1, 2]);
    const pc = ind.pctChange([100, 110, 99]);
    expect(pc[0]).toBeNaN();
    expect(pc[1]).toBeCloseTo(0.1, 14);
    expect(pc[2]).toBeCloseTo(-0.1, 14);
    expect(ind.roc([100, 0, 120], 1)[2]).toBeNaN(); // zero base
    expect(ind.roc([100, 50, 120], 2)[2]).toBeCloseTo(20, 12);
  });

  it("WMA(3) of 1..5 weights the newest bar most", () => {
    // (1*1 + 2*2 + 3*3)/6, (2 + 6 + 12)/6, (3 + 8 + 15)/6
    expect(arr(ind.wma([1, 2, 3, 4, 5], 3))).toEqual([NaN, NaN, 14 / 6, 20 / 6, 26 / 6]);
  });

  it("rolling std: population by default, sample on request, against a direct computation", () => {
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    // whole-window: mean 5, population variance 4, sample variance 32/7
    expect(ind.rollingStd(x, 8)[7]).toBeCloseTo(2, 12);
    expect(ind.rollingStd(x, 8, { sample: true })[7]).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(ind.rollingStd(x, 1, { sample: true })[0]).toBeNaN();
  });
});

describe("rolling windows on long real data match a direct O(n·p) computation", () => {
  const { close, high, low } = loadBars("orcl-1995-2014.csv");
  it("rolling min/max/sma/std/wma stay within 1e-9 of direct sums over 5,000 bars", () => {
    const p = 37;
    const max = ind.rollingMax(high, p);
    const min = ind.rollingMin(low, p);
    const mean = ind.sma(close, p);
    const sd = ind.rollingStd(close, p);
    const w = ind.wma(close, p);
    for (let i = p - 1; i < close.length; i += 7) {
      const win = Array.from(close.subarray(i - p + 1, i + 1));
      const m = win.reduce((s, v) => s + v, 0) / p;
      const v = win.reduce((s, x) => s + (x - m) ** 2, 0) / p;
      const wm = win.reduce((s, x, k) => s + (k + 1) * x, 0) / ((p * (p + 1)) / 2);
      expect(max[i]).toBe(Math.max(...high.subarray(i - p + 1, i + 1)));
      expect(min[i]).toBe(Math.min(...low.subarray(i - p + 1, i + 1)));
      expect(Math.abs(mean[i] - m)).toBeLessThan(1e-9 * m);
      expect(Math.abs(sd[i] - Math.sqrt(v))).toBeLessThan(1e-9 * m);
      expect(Math.abs(w[i] - wm)).toBeLessThan(1e-9 * m);
    }
  });
});

describe("missing values", () => {
  it("windowed indicators are NaN while a gap is inside the window and recover after it", () => {
    const x = [1, 2, 3, Number.NaN, 5, 6, 7, 8];
    expect(arr(ind.sma(x, 2))).toEqual([NaN, 1.5, 2.5, NaN, NaN, 5.5, 6.5, 7.5]);
    expect(arr(ind.rollingMax(x, 2))).toEqual([NaN, 2, 3, NaN, NaN, 6, 7, 8]);
    expect(ind.rollingStd(x, 2)[6]).toBeCloseTo(0.5, 12);
    expect(ind.wma(x, 2)[7]).toBeCloseTo((7 + 16) / 3, 12);
  });

  it("recursive indicators skip a leading gap (composition) and propagate a later one", () => {
    const lead = [Number.NaN, Number.NaN, 1, 2, 3, 4];
    // alpha 2/3, seed = mean(1, 2) = 1.5 at the second finite bar
    const e3 = 1.5 + (2 / 3) * (3 - 1.5);
    const e4 = e3 + (2 / 3) * (4 - e3);
    expect(arr(ind.ema(lead, 2))).toEqual([NaN, NaN, NaN, 1.5, e3, e4]);
    const gap = ind.ema([1, 2, 3, Number.NaN, 5], 2);
    expect(Number.isNaN(gap[3]) && Number.isNaN(gap[4])).toBe(true);
  });

  it("VWAP is NaN for a window without volume", () => {
    const p = [10, 11, 12];
    expect(arr(ind.vwap(p, p, p, [0, 0, 5], 2))).toEqual([NaN, NaN, 12]);
  });
});
