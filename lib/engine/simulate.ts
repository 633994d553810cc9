/**
 * The event loop of the engine: one pass over the bars with explicit per-symbol state in typed
 * arrays. Kept in one file on purpose (single hot kernel); the rules it applies are spelled out in
 * lib/engine/README.md, and the pricing/sizing pieces live in ./fills.ts.
 *
 * Per bar t: (1) next-open fills of decisions taken at bar t-1's close, exits before entries;
 * (2) intrabar stop-loss / take-profit / trailing stop on high/low; (3) close fills (fill: "close");
 * (4) closeAtEnd on the last bar; (5) mark to market at the close.
 */
import type { BarSeries } from "../data/bars";
import type { SignalArrays } from "./signals";
import { resolveConfig, type ResolvedConfig, type SimConfigInput } from "./config";
import { commission, entryFillPrice, maxUnits, slipped } from "./fills";
import type { ExitReason, OpenPosition, SimResult, TradeRecord } from "./types";
import { validateUniverse } from "./validate";
import { benchmarkEquity, drawdownSeries } from "./curves";

const EMPTY = new Uint8Array(0);

/** Realized volatility (sample std of log returns, annualized) over `lookback` returns ending at bar b. */
function realizedVol(close: Float64Array, b: number, lookback: number, perYear: number): number {
  if (b - lookback < 0) return NaN;
  let sum = 0,
    sumSq = 0;
  for (let i = b - lookback + 1; i <= b; i++) {
    const r = Math.log(close[i] / close[i - 1]);
    sum += r;
    sumSq += r * r;
  }
  const mean = sum / lookback;
  const variance = (sumSq - lookback * mean * mean) / (lookback - 1);
  return Math.sqrt(Math.max(variance, 0) * perYear);
}

/**
 * Simulates `signals` on `universe` (one or many aligned symbols; single symbol = universe of one).
 * A signal on bar t is acted on at bar t+1's open by default (`fill: "close"` acts at bar t's close).
 * @throws InvalidInputError on malformed bars/signals; InvalidConfigError on impossible config.
 */
export function simulate(
  universe: readonly BarSeries[],
  signals: readonly SignalArrays[],
  config: SimConfigInput = {},
): SimResult {
  validateUniverse(universe, signals);
  const cfg: ResolvedConfig = resolveConfig(config, universe.length);
  const k = universe.length;
  const n = universe[0].close.length;
  const ts = universe[0].timestampsMs;
  const costs = cfg.costs;
  const slip = costs.slippageBps;
  const allowShort = cfg.allowShort;
  const nextOpen = cfg.fill === "next-open";

  const pos = new Float64Array(k); // signed units
  const entryPx = new Float64Array(k); // recorded entry price
  const rawEntryPx = new Float64Array(k); // fill price before commission adjustment
  const entryBar = new Int32Array(k);
  const entryComm = new Float64Array(k);
  const slLevel = new Float64Array(k).fill(NaN);
  const tpLevel = new Float64Array(k).fill(NaN);
  const best = new Float64Array(k); // best price since entry, for the trailing stop
  const open: number[] = []; // indices of symbols with a position
  const trades: TradeRecord[] = [];
  const equity = new Float64Array(n);
  const cashCurve = new Float64Array(n);
  const gross = new Float64Array(n);
  const positions = universe.map(() => new Float64Array(n));
  let cash = cfg.initialCash;

  const closeTrade = (j: number, rawPrice: number, bar: number, reason: ExitReason): void => {
    const units = pos[j];
    const side = units > 0 ? 1 : -1;
    const size = units * side;
    const px = slipped(rawPrice, -side, slip);
    const exitComm = commission(size, px, costs);
    cash += units * px - exitComm;
    const pnl = side * size * (px - entryPx[j]) - entryComm[j] - exitComm;
    trades.push({
      symbol: universe[j].symbol,
      side: side > 0 ? "long" : "short",
      entryBar: entryBar[j],
      exitBar: bar,
      entryTimeMs: ts[entryBar[j]],
      exitTimeMs: ts[bar],
      entryPrice: entryPx[j],
      exitPrice: px,
      size,
      pnl,
      returnPct: (pnl / (size * entryPx[j])) * 100,
      barsHeld: bar - entryBar[j],
      exitReason: reason,
      entryCommission: entryComm[j],
      exitCommission: exitComm,
    });
    pos[j] = 0;
    open.splice(open.indexOf(j), 1);
  };

  const openTrade = (
    j: number,
    side: number,
    rawPrice: number,
    bar: number,
    sigBar: number,
    priceOf: Float64Array[],
  ): void => {
    // Equity and free capital at this fill's prices.
    let eq = cash,
      exposure = 0;
    for (const o of open) {
      const v = pos[o] * priceOf[o][bar];
      eq += v;
      exposure += v < 0 ? -v : v;
    }
    const available = eq - exposure;
    const raw = slipped(rawPrice, side, slip);
    const px = entryFillPrice(raw, side, costs);
    const sz = cfg.sizing;
    let budget: number;
    if (sz.mode === "cash") budget = sz.cashPerTrade;
    else if (sz.mode === "units")
      budget = sz.units * px * (1 + costs.commissionRate) + sz.units * costs.commissionPerShare + costs.commissionMin;
    else if (sz.mode === "vol-target") {
      const vol = realizedVol(universe[j].close, sigBar, sz.volLookbackBars, sz.periodsPerYear);
      if (!(vol > 0)) return;
      budget = sz.fraction * eq * Math.min(1, sz.targetVolAnnual / vol);
    } else budget = sz.fraction * eq;
    if (budget > available) budget = available;
    let units = maxUnits(budget, px, costs, sz.fractional);
    if (sz.mode === "units" && units > sz.units) units = sz.units;
    if (!(units > 0)) return;
    const comm = commission(units, px, costs);
    cash -= side * units * px + comm;
    pos[j] = side * units;
    entryPx[j] = px;
    rawEntryPx[j] = raw;
    entryBar[j] = bar;
    entryComm[j] = comm;
    best[j] = raw;
    const sig = signals[j];
    const absSl = sig.stopLoss ? sig.stopLoss[sigBar] : NaN;
    const absTp = sig.takeProfit ? sig.takeProfit[sigBar] : NaN;
    slLevel[j] = Number.isFinite(absSl) ? absSl : raw * (1 - side * cfg.stopLossPct);
    tpLevel[j] = Number.isFinite(absTp) ? absTp : raw * (1 + side * cfg.takeProfitPct);
    open.push(j);
  };

  const opens = universe.map((s) => s.open);
  const closes = universe.map((s) => s.close);
  const wantLong = new Int8Array(k); // +1 long, -1 short, 0 none: entry wished by the decision on sigBar
  const candidates: number[] = [];

  /** Decisions taken on bar `b`, filled at `bar` on `prices`: exits first, then ranked entries. */
  const act = (b: number, bar: number, prices: Float64Array[]): void => {
    candidates.length = 0;
    for (let j = 0; j < k; j++) {
      const sg = signals[j];
      const se = allowShort ? (sg.shortEntries ?? EMPTY) : EMPTY;
      const sx = allowShort ? (sg.shortExits ?? EMPTY) : EMPTY;
      const eL = sg.entries[b] === 1 && sg.exits[b] !== 1;
      const eS = se.length > 0 && se[b] === 1 && !(sx.length > 0 && sx[b] === 1);
      const want = eL && !eS ? 1 : eS && !eL ? -1 : 0;
      const p = pos[j];
      if (p > 0 && (sg.exits[b] === 1 || want < 0)) closeTrade(j, prices[j][bar], bar, want < 0 ? "reverse" : "signal");
      else if (p < 0 && ((sx.length > 0 && sx[b] === 1) || want > 0))
        closeTrade(j, prices[j][bar], bar, want > 0 ? "reverse" : "signal");
      wantLong[j] = want;
      if (want !== 0 && pos[j] === 0) candidates.push(j);
    }
    if (candidates.length > 1) {
      candidates.sort((a, c) => {
        const sa = signals[a].score?.[b] ?? NaN,
          sc = signals[c].score?.[b] ?? NaN;
        if (Number.isNaN(sa) || Number.isNaN(sc)) return Number.isNaN(sa) ? (Number.isNaN(sc) ? a - c : 1) : -1;
        return sc - sa || a - c;
      });
    }
    for (const j of candidates) {
      if (open.length >= cfg.maxPositions) break;
      openTrade(j, wantLong[j], prices[j][bar], bar, b, prices);
    }
  };

  const checkStops = (t: number): void => {
    for (let q = open.length - 1; q >= 0; q--) {
      const j = open[q];
      const s = universe[j];
      const o = s.open[t],
        h = s.high[t],
        l = s.low[t];
      const trail = cfg.trailingStopPct;
      if (pos[j] > 0) {
        const tr = best[j] * (1 - trail);
        const useTrail = tr > slLevel[j] || (Number.isNaN(slLevel[j]) && !Number.isNaN(tr));
        const stop = useTrail ? tr : slLevel[j];
        const stopReason: ExitReason = useTrail ? "trailing_stop" : "stop_loss";
        const tp = tpLevel[j];
        if (o <= stop) closeTrade(j, o, t, stopReason);
        else if (o >= tp) closeTrade(j, o, t, "take_profit");
        else if (l <= stop) closeTrade(j, stop, t, stopReason);
        else if (h >= tp) closeTrade(j, tp, t, "take_profit");
        else if (h > best[j]) best[j] = h;
      } else {
        const tr = best[j] * (1 + trail);
        const useTrail = tr < slLevel[j] || (Number.isNaN(slLevel[j]) && !Number.isNaN(tr));
        const stop = useTrail ? tr : slLevel[j];
        const stopReason: ExitReason = useTrail ? "trailing_stop" : "stop_loss";
        const tp = tpLevel[j];
        if (o >= stop) closeTrade(j, o, t, stopReason);
        else if (o <= tp) closeTrade(j, o, t, "take_profit");
        else if (h >= stop) closeTrade(j, stop, t, stopReason);
        else if (l <= tp) closeTrade(j, tp, t, "take_profit");
        else if (l < best[j]) best[j] = l;
      }
    }
  };

  const hasStops =
    !Number.isNaN(cfg.stopLossPct) ||
    !Number.isNaN(cfg.takeProfitPct) ||
    !Number.isNaN(cfg.trailingStopPct) ||
    signals.some((s) => s.stopLoss !== undefined || s.takeProfit !== undefined);

  for (let t = 0; t < n; t++) {
    if (nextOpen && t > 0) act(t - 1, t, opens);
    if (hasStops && open.length > 0) checkStops(t);
    if (!nextOpen) act(t, t, closes);
    if (t === n - 1 && cfg.closeAtEnd) {
      for (let q = open.length - 1; q >= 0; q--) closeTrade(open[q], closes[open[q]][t], t, "end_of_data");
    }
    let eq = cash,
      ex = 0;
    for (const j of open) {
      const v = pos[j] * closes[j][t];
      eq += v;
      ex += v < 0 ? -v : v;
      positions[j][t] = pos[j];
    }
    equity[t] = eq;
    cashCurve[t] = cash;
    gross[t] = eq > 0 ? ex / eq : ex > 0 ? Infinity : 0;
  }

  const last = n - 1;
  const openPositions: OpenPosition[] = open.map((j) => {
    const side = pos[j] > 0 ? 1 : -1;
    const size = pos[j] * side;
    const mark = closes[j][last];
    const upnl = side * size * (mark - entryPx[j]) - entryComm[j];
    return {
      symbol: universe[j].symbol,
      side: side > 0 ? "long" : "short",
      entryBar: entryBar[j],
      entryTimeMs: ts[entryBar[j]],
      entryPrice: entryPx[j],
      size,
      markPrice: mark,
      unrealizedPnl: upnl,
      returnPct: (upnl / (size * entryPx[j])) * 100,
      barsHeld: last - entryBar[j],
      entryCommission: entryComm[j],
    };
  });

  return {
    symbols: universe.map((s) => s.symbol),
    timestampsMs: ts,
    initialCash: cfg.initialCash,
    equity,
    drawdown: drawdownSeries(equity),
    cash: cashCurve,
    positions,
    grossExposure: gross,
    trades,
    openPositions,
    benchmarkEquity: benchmarkEquity(universe, cfg.initialCash),
    config: cfg,
  };
}
