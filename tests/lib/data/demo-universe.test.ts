import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEMO_MARKET_CORRELATION, DEMO_SECTOR_CORRELATION } from "@/lib/data/demo-model";
import { demoSymbolNames, generateDemoSeries, generateDemoUniverse, type DemoUniverse } from "@/lib/data/demo-universe";
import { createLiveFeedState, stepLiveFeed } from "@/lib/data/live-feed";
import { validateBars } from "@/lib/data/validate";

function hashUniverse(u: DemoUniverse): string {
  const h = createHash("sha256");
  for (const s of u.symbols) {
    h.update(s.symbol + s.name + s.sector);
    for (const a of [
      s.series.timestampsMs,
      s.series.open,
      s.series.high,
      s.series.low,
      s.series.close,
      s.series.volume,
    ])
      h.update(new Uint8Array(a.buffer));
    const f = s.fundamentals;
    for (const a of [f.marketCap, f.pe, f.eps, f.revenue, f.pb, f.debtToEquity]) h.update(new Uint8Array(a.buffer));
  }
  return h.digest("hex");
}

function logReturns(close: Float64Array): Float64Array {
  const r = new Float64Array(close.length - 1);
  for (let i = 1; i < close.length; i++) r[i - 1] = Math.log(close[i] / close[i - 1]);
  return r;
}

function corr(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] - ma,
      y = b[i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

const universe = generateDemoUniverse({ symbols: 66, years: 6, seed: 7 });

describe("generateDemoUniverse", () => {
  it("is byte-identical for the same seed and differs for another seed", () => {
    const again = generateDemoUniverse({ symbols: 66, years: 6, seed: 7 });
    expect(hashUniverse(again)).toBe(hashUniverse(universe));
    expect(hashUniverse(generateDemoUniverse({ symbols: 66, years: 6, seed: 8 }))).not.toBe(hashUniverse(universe));
  });

  it("produces valid bars (positive prices, high/low bracket open/close) on weekdays only", () => {
    expect(universe.synthetic).toBe(true);
    for (const s of universe.symbols) {
      expect(s.series.close.length).toBe(6 * 252);
      expect(() => validateBars(s.series)).not.toThrow();
      const weekend = s.series.timestampsMs.filter((t) => [0, 6].includes(new Date(t).getUTCDay()));
      expect(weekend.length).toBe(0);
      expect(s.name).toMatch(/\(synthetic\)$/);
    }
  });

  it("covers 11 sectors and unique tickers", () => {
    expect(new Set(universe.symbols.map((s) => s.sector)).size).toBe(11);
    const names = demoSymbolNames(42, 500).map((s) => s.symbol);
    expect(new Set(names).size).toBe(500);
  });

  it("shows volatility clustering: |returns| are positively autocorrelated", () => {
    const acs = universe.symbols.map((s) => {
      const r = logReturns(s.series.close).map(Math.abs);
      return corr(r.subarray(0, r.length - 1), r.subarray(1));
    });
    const mean = acs.reduce((a, b) => a + b, 0) / acs.length;
    expect(mean, "iid returns would give ≈ 0").toBeGreaterThan(0.08);
  });

  it("has cross-sectional correlation near the configured market level, higher within sectors", () => {
    const rets = universe.symbols.map((s) => logReturns(s.series.close));
    let across = 0,
      nAcross = 0,
      within = 0,
      nWithin = 0;
    for (let i = 0; i < rets.length; i++) {
      for (let j = i + 1; j < rets.length; j++) {
        const c = corr(rets[i], rets[j]);
        if (universe.symbols[i].sector === universe.symbols[j].sector) {
          within += c;
          nWithin++;
        } else {
          across += c;
          nAcross++;
        }
      }
    }
    across /= nAcross;
    within /= nWithin;
    // Earnings jumps (sd 3·σ once per 63 bars) add 9/63 of a day's variance as idiosyncratic
    // noise, so realised correlation is the diffusive level divided by 1 + 9/63.
    const expected = DEMO_MARKET_CORRELATION / (1 + 9 / 63);
    expect(Math.abs(across - expected)).toBeLessThan(0.04);
    expect(within).toBeGreaterThan(DEMO_MARKET_CORRELATION + DEMO_SECTOR_CORRELATION - 0.12);
    expect(within - across).toBeGreaterThan(0.1);
  });

  it("spikes volume on large moves and gaps overnight", () => {
    let gaps = 0,
      big = 0,
      bigVol = 0,
      calmVol = 0,
      calm = 0;
    for (const s of universe.symbols) {
      const { open, close, volume } = s.series;
      const r = logReturns(close);
      const sd = Math.sqrt(r.reduce((a, x) => a + x * x, 0) / r.length);
      for (let i = 1; i < close.length; i++) {
        if (open[i] !== close[i - 1]) gaps++;
        if (Math.abs(r[i - 1]) > 2.5 * sd) {
          big++;
          bigVol += volume[i];
        } else if (Math.abs(r[i - 1]) < 0.5 * sd) {
          calm++;
          calmVol += volume[i];
        }
      }
    }
    expect(gaps).toBeGreaterThan(0.9 * universe.symbols.length * (6 * 252 - 1));
    expect(bigVol / big).toBeGreaterThan(2 * (calmVol / calm));
  });

  it("keeps fundamentals consistent with prices (market cap ∝ close, P/E = close / EPS)", () => {
    const s = universe.symbols[5];
    const f = s.fundamentals;
    const shares = f.marketCap[0] / s.series.close[0];
    for (let i = 0; i < s.series.close.length; i += 97) {
      expect(f.marketCap[i] / s.series.close[i]).toBeCloseTo(shares, 0);
      if (f.eps[i] > 0) expect(f.pe[i]).toBeCloseTo(s.series.close[i] / f.eps[i], 9);
      else expect(Number.isNaN(f.pe[i])).toBe(true);
      expect(f.debtToEquity[i]).toBeGreaterThan(0);
    }
    expect(f.sector).toBe(s.sector);
  });
});

describe("generateDemoSeries and the live feed", () => {
  it("generates one symbol identical to its universe entry", () => {
    const target = universe.symbols[17];
    const one = generateDemoSeries(target.symbol, { years: 6, seed: 7 });
    expect(one.series).toEqual(target.series);
    expect(one.fundamentals).toEqual(target.fundamentals);
  });

  it("a shorter history is a prefix of a longer one", () => {
    const short = generateDemoSeries(universe.symbols[3].symbol, { years: 2, seed: 7 });
    expect(Array.from(short.series.close)).toEqual(Array.from(universe.symbols[3].series.close.subarray(0, 504)));
  });

  it("continues the batch history bar for bar", () => {
    const initial = createLiveFeedState({ seed: 7, symbols: 66, barIndex: 5 * 252 });
    const frozen = structuredClone(initial);
    let state = initial;
    for (let k = 0; k < 3; k++) {
      const step = stepLiveFeed(state);
      const i = 5 * 252 + k;
      for (const [s, bar] of step.bars.entries()) {
        expect(bar.barIndex).toBe(i);
        expect(bar.close).toBe(universe.symbols[s].series.close[i]);
        expect(bar.timestampMs).toBe(universe.symbols[s].series.timestampsMs[i]);
        expect(bar.pe).toEqual(universe.symbols[s].fundamentals.pe[i]);
      }
      state = step.state;
    }
    expect(initial, "step does not mutate its input").toEqual(frozen);
  });
});

describe("demo fundamentals", () => {
  it("stay in realistic ranges per sector over ten years (a value screen's picks are not P/E 0.3)", () => {
    const u = generateDemoUniverse({ symbols: 300, years: 10 });
    const last = (a: Float64Array) => a[a.length - 1];
    const pe = u.symbols.map((s) => last(s.fundamentals.pe)).filter(Number.isFinite);
    const pb = u.symbols.map((s) => last(s.fundamentals.pb));
    expect(pe.length, "most companies have positive earnings").toBeGreaterThan(250);
    expect(Math.min(...pe), "no P/E below 3").toBeGreaterThanOrEqual(3);
    expect(Math.max(...pe), "no P/E above 80").toBeLessThanOrEqual(80);
    expect(Math.min(...pb)).toBeGreaterThanOrEqual(0.3);
    expect(Math.max(...pb)).toBeLessThanOrEqual(25);
    const median = (sector: string) => {
      const v = u.symbols
        .filter((s) => s.sector === sector)
        .map((s) => last(s.fundamentals.pe))
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      return v[Math.floor(v.length / 2)];
    };
    expect(median("Energy"), "energy trades cheaper than technology").toBeLessThan(median("Technology"));
    expect(median("Financials")).toBeLessThan(median("Technology"));
    for (const s of u.symbols) {
      const d = s.fundamentals.debtToEquity;
      expect(Math.min(...d), s.symbol).toBeGreaterThan(0);
      expect(Math.max(...d), s.symbol).toBeLessThanOrEqual(6);
    }
  });
});
