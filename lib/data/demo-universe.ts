/**
 * The embedded demo universe: deterministic, seeded, clearly synthetic daily bars and
 * fundamentals for up to thousands of made-up symbols (see ./demo-model.ts for the model).
 * Calendar: business days (Monday–Friday, no holidays), 252 bars per "year", each bar
 * stamped 00:00 UTC of its day. Same options → byte-identical arrays.
 */
import type { BarSeries, FundamentalSeries } from "./bars";
import { DEMO_SECTORS, demoSymbolList, findDemoSymbol, type DemoSector, type DemoSymbolInfo } from "./demo-symbols";
import {
  initMarket,
  initSymbol,
  stepMarket,
  stepSymbol,
  type MarketBar,
  type MarketState,
  type SymbolState,
} from "./demo-model";
import { hashSeed, Rng, type RngState } from "./rng";

/** First calendar day of the default demo history (2015-01-01 UTC). */
export const DEMO_DEFAULT_START_MS = Date.UTC(2015, 0, 1);
/** Business days per demo year. */
export const DEMO_BARS_PER_YEAR = 252;
const DAY_MS = 86_400_000;

/** Options of the demo generator. */
export interface DemoUniverseOptions {
  /** Number of symbols (default 500). */
  symbols?: number;
  /** History length in years of 252 business days (default 10). */
  years?: number;
  /** Seed (default 42). */
  seed?: number;
  /** First calendar day, UTC ms (default {@link DEMO_DEFAULT_START_MS}); weekends are skipped. */
  startDateMs?: number;
}

/** One generated symbol. */
export interface DemoSymbolData {
  symbol: string;
  name: string;
  sector: DemoSector;
  series: BarSeries;
  fundamentals: FundamentalSeries;
}

/** The generated universe; `synthetic` is always true and must be shown wherever the data is. */
export interface DemoUniverse {
  symbols: DemoSymbolData[];
  synthetic: true;
}

/** `count` weekday timestamps (00:00 UTC) starting at the first weekday on or after `startMs`. */
export function businessDays(startMs: number, count: number): Float64Array {
  const out = new Float64Array(count);
  let t = Math.floor(startMs / DAY_MS) * DAY_MS;
  for (let i = 0; i < count;) {
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) out[i++] = t;
    t += DAY_MS;
  }
  return out;
}

/** The next weekday after `ms` (00:00 UTC). */
export function nextBusinessDay(ms: number): number {
  return businessDays(Math.floor(ms / DAY_MS) * DAY_MS + DAY_MS, 1)[0];
}

/** Number of bars for `years` years. */
export function demoBarCount(years: number): number {
  return Math.max(1, Math.round(years * DEMO_BARS_PER_YEAR));
}

/** Market and sector factor paths shared by every symbol. */
export interface DemoFactors {
  market: MarketBar[];
  sectorZ: Float64Array[];
  marketState: MarketState;
  sectorRng: RngState[];
}

/** Factor paths for `bars` bars; cheap (O(bars × sectors)), recomputed by per-symbol generation. */
export function demoFactors(seed: number, bars: number): DemoFactors {
  const marketState = initMarket(hashSeed(seed, "market"));
  const market: MarketBar[] = new Array(bars);
  for (let t = 0; t < bars; t++) market[t] = stepMarket(marketState);
  const sectorRng: RngState[] = [];
  const sectorZ = DEMO_SECTORS.map((name) => {
    const rng = new Rng(hashSeed(seed, `sector:${name}`));
    const z = new Float64Array(bars);
    for (let t = 0; t < bars; t++) z[t] = rng.normal();
    sectorRng.push(rng.state());
    return z;
  });
  return { market, sectorZ, marketState, sectorRng };
}

/** Seed of one symbol's own random stream. */
export function demoSymbolSeed(seed: number, symbol: string): number {
  return hashSeed(seed, `symbol:${symbol}`);
}

/** Generate one symbol's bars given precomputed factors; returns its final state for the live feed. */
export function generateWithFactors(
  info: DemoSymbolInfo,
  seed: number,
  factors: DemoFactors,
  timestampsMs: Float64Array,
): { data: DemoSymbolData; state: SymbolState } {
  const n = timestampsMs.length;
  const st = initSymbol(demoSymbolSeed(seed, info.symbol), info.sector);
  const open = new Float64Array(n),
    high = new Float64Array(n),
    low = new Float64Array(n),
    close = new Float64Array(n),
    volume = new Float64Array(n);
  const marketCap = new Float64Array(n),
    pe = new Float64Array(n),
    eps = new Float64Array(n),
    revenue = new Float64Array(n),
    pb = new Float64Array(n),
    de = new Float64Array(n);
  const sz = factors.sectorZ[DEMO_SECTORS.indexOf(info.sector)];
  for (let t = 0; t < n; t++) {
    const b = stepSymbol(st, factors.market[t], sz[t]);
    open[t] = b.open;
    high[t] = b.high;
    low[t] = b.low;
    close[t] = b.close;
    volume[t] = b.volume;
    marketCap[t] = b.marketCap;
    pe[t] = b.pe;
    eps[t] = b.eps;
    revenue[t] = b.revenue;
    pb[t] = b.pb;
    de[t] = b.debtToEquity;
  }
  const series: BarSeries = { symbol: info.symbol, timestampsMs: timestampsMs.slice(), open, high, low, close, volume };
  const fundamentals: FundamentalSeries = { sector: info.sector, marketCap, pe, eps, revenue, pb, debtToEquity: de };
  return { data: { symbol: info.symbol, name: info.name, sector: info.sector, series, fundamentals }, state: st };
}

/**
 * Generate the demo universe: `symbols` symbols × `years`·252 daily bars with fundamentals.
 * 500 × 2,520 takes well under 2 s. Prices are always positive.
 */
export function generateDemoUniverse(opts: DemoUniverseOptions = {}): DemoUniverse {
  const { symbols = 500, years = 10, seed = 42, startDateMs = DEMO_DEFAULT_START_MS } = opts;
  const n = demoBarCount(years);
  const ts = businessDays(startDateMs, n);
  const factors = demoFactors(seed, n);
  const list = demoSymbolList(seed, symbols);
  return { symbols: list.map((info) => generateWithFactors(info, seed, factors, ts).data), synthetic: true };
}

/**
 * Generate one demo symbol without the others. Identical to that symbol's entry in
 * {@link generateDemoUniverse} with the same options (factors are recomputed from the seed,
 * so cross-sectional correlation holds). Throws RangeError for a symbol not in the demo list.
 */
export function generateDemoSeries(symbol: string, opts: Omit<DemoUniverseOptions, "symbols"> = {}): DemoSymbolData {
  const { years = 10, seed = 42, startDateMs = DEMO_DEFAULT_START_MS } = opts;
  const info = findDemoSymbol(seed, symbol);
  if (!info) throw new RangeError(`"${symbol}" is not a demo symbol for seed ${seed}`);
  const n = demoBarCount(years);
  return generateWithFactors(info, seed, demoFactors(seed, n), businessDays(startDateMs, n)).data;
}

/** The demo symbols (ticker, synthetic name, sector) for `seed` without generating any bars. */
export function demoSymbolNames(seed = 42, count = 500): DemoSymbolInfo[] {
  return demoSymbolList(seed, count);
}

export { DEMO_SECTORS, type DemoSector, type DemoSymbolInfo } from "./demo-symbols";
