/**
 * Live feed simulator for demo mode: continues the demo universe bar by bar with the same
 * model, so bar k from the feed equals bar k of a longer batch generation. Pure: the state
 * is plain data and {@link stepLiveFeed} returns a new state (the server keeps it and calls
 * the step on a clock of its choosing).
 */
import { DEMO_SECTORS, demoSymbolList, type DemoSymbolInfo } from "./demo-symbols";
import {
  stepMarket,
  stepSymbol as stepSymbolFor,
  type DemoBar,
  type MarketState,
  type SymbolState,
} from "./demo-model";
import {
  businessDays,
  DEMO_DEFAULT_START_MS,
  demoFactors,
  generateWithFactors,
  nextBusinessDay,
} from "./demo-universe";
import type { BarSeries } from "./bars";
import { Rng, type RngState } from "./rng";

/** Everything needed to produce the next demo bar of every symbol. */
export interface LiveFeedState {
  seed: number;
  /** Index of the next bar to produce (= bars produced so far). */
  barIndex: number;
  /** Timestamp of the last produced bar (UTC ms). */
  lastTimestampMs: number;
  symbols: DemoSymbolInfo[];
  market: MarketState;
  sectorRng: RngState[];
  symbolStates: SymbolState[];
}

/** One symbol's new bar. */
export interface LiveBar extends DemoBar {
  symbol: string;
  timestampMs: number;
  barIndex: number;
}

/**
 * Feed state positioned after `barIndex` bars of the demo universe (O(barIndex × symbols) once).
 * With `barIndex` = years·252 the next step continues where the stored demo history ends.
 */
export function createLiveFeedState(opts: {
  seed?: number;
  symbols?: number;
  barIndex: number;
  startDateMs?: number;
}): LiveFeedState {
  const seed = opts.seed ?? 42;
  const list = demoSymbolList(seed, opts.symbols ?? 500);
  const n = opts.barIndex;
  const ts = businessDays(opts.startDateMs ?? DEMO_DEFAULT_START_MS, Math.max(n, 1));
  const factors = demoFactors(seed, n);
  const symbolStates = list.map((info) => generateWithFactors(info, seed, factors, ts.subarray(0, n)).state);
  return {
    seed,
    barIndex: n,
    lastTimestampMs: n > 0 ? ts[n - 1] : ts[0] - 86_400_000,
    symbols: list,
    market: factors.marketState,
    sectorRng: factors.sectorRng,
    symbolStates,
  };
}

/** Produce the next bar for every symbol. Returns the new state; the input is not modified. */
export function stepLiveFeed(state: LiveFeedState): { state: LiveFeedState; bars: LiveBar[] } {
  const next: LiveFeedState = structuredClone(state);
  const m = stepMarket(next.market);
  const sectorZ = next.sectorRng.map((s) => new Rng(s).normal());
  const timestampMs = nextBusinessDay(next.lastTimestampMs);
  const bars: LiveBar[] = next.symbols.map((info, i) => {
    const bar = stepSymbolFor(next.symbolStates[i], m, sectorZ[DEMO_SECTORS.indexOf(info.sector)]);
    return { symbol: info.symbol, timestampMs, barIndex: next.barIndex, ...bar };
  });
  next.barIndex++;
  next.lastTimestampMs = timestampMs;
  return { state: next, bars };
}

/** A new series with `bars` (ascending, after the last bar) appended; the input is not modified. */
export function appendBars(
  series: BarSeries,
  bars: { timestampMs: number; open: number; high: number; low: number; close: number; volume: number }[],
): BarSeries {
  const n = series.close.length;
  const grow = (a: Float64Array, pick: (b: (typeof bars)[number]) => number) => {
    const out = new Float64Array(n + bars.length);
    out.set(a);
    bars.forEach((b, i) => {
      out[n + i] = pick(b);
    });
    return out;
  };
  return {
    symbol: series.symbol,
    timestampsMs: grow(series.timestampsMs, (b) => b.timestampMs),
    open: grow(series.open, (b) => b.open),
    high: grow(series.high, (b) => b.high),
    low: grow(series.low, (b) => b.low),
    close: grow(series.close, (b) => b.close),
    volume: grow(series.volume, (b) => b.volume),
  };
}
