/**
 * Allocation-free single-symbol kernels for parameter sweeps. They apply the same fill, cost and
 * sizing arithmetic as {@link simulate} (shared through ./fills.ts, same operation order), so final
 * equity, trade count and max drawdown are bit-identical to a full backtest; Sharpe is accumulated
 * in one pass (sum and sum of squares) and agrees with the report's two-pass value to ~1e-12
 * relative. No trade records are built. Supports next-open/close fills, every cost setting,
 * `fraction` sizing (whole or fractional units), long and short; stops and other sizing modes go
 * through `simulate`. The SMA crossover has its own event-driven kernel (./sweep-cross-kernel.ts)
 * with the same fill arithmetic — keep them in step.
 */
import type { ResolvedConfig } from "./config";
import { commissionOf, entryPriceOf, legRate, maxUnitsOf, priceAdjustRate, slipped } from "./fills";

/** Reusable signal buffers one combo writes into (length = bars). */
export interface SignalBuffers {
  entries: Uint8Array;
  exits: Uint8Array;
  /** null = long only. */
  shortEntries: Uint8Array | null;
  shortExits: Uint8Array | null;
}

/** Per-combo outputs of the fast path. */
export interface KernelStats {
  finalEquity: number;
  /** Closed trades (a position still open at the end is not counted, as in the report). */
  numTrades: number;
  /** Minimum of `equity / running peak - 1` (negative fraction). */
  maxDrawdown: number;
  sharpe: number;
}

/** Whether a resolved config is inside what the kernels reproduce exactly. */
export function kernelSupports(cfg: ResolvedConfig): boolean {
  return (
    cfg.sizing.mode === "fraction" &&
    Number.isNaN(cfg.stopLossPct) &&
    Number.isNaN(cfg.takeProfitPct) &&
    Number.isNaN(cfg.trailingStopPct) &&
    !cfg.closeAtEnd
  );
}

/** Annualized Sharpe (rf 0, ddof 1) from one-pass sums over `m` returns; NaN when undefined. */
export function sharpeFromSums(sum: number, sumSq: number, m: number, periodsPerYear: number): number {
  if (m < 2) return NaN;
  const mean = sum / m;
  const variance = (sumSq - sum * mean) / (m - 1);
  return variance > 0 ? (mean / Math.sqrt(variance)) * Math.sqrt(periodsPerYear) : NaN;
}

/** Runs one combo from signal buffers; writes into `out`. */
export function runKernel(
  open: Float64Array,
  close: Float64Array,
  sig: SignalBuffers,
  cfg: ResolvedConfig,
  periodsPerYear: number,
  out: KernelStats,
): void {
  const n = close.length;
  const nextOpen = cfg.fill === "next-open";
  const en = sig.entries,
    ex = sig.exits;
  const se = cfg.allowShort ? sig.shortEntries : null;
  const sx = cfg.allowShort ? sig.shortExits : null;
  const slip = cfg.costs.slippageBps,
    rate = legRate(cfg.costs),
    adj = priceAdjustRate(cfg.costs);
  const perShare = cfg.costs.commissionPerShare,
    minC = cfg.costs.commissionMin;
  const fraction = cfg.sizing.fraction,
    fractional = cfg.sizing.fractional;
  let cash = cfg.initialCash,
    pos = 0,
    trades = 0;
  let peak = -Infinity,
    maxDd = 0,
    lim = 1,
    prevE = cash,
    sum = 0,
    sumSq = 0;
  for (let t = 0; t < n; t++) {
    const b = nextOpen ? t - 1 : t;
    if (b >= 0) {
      const eL = en[b] === 1 && ex[b] !== 1;
      const eS = se !== null && se[b] === 1 && !(sx !== null && sx[b] === 1);
      const want = eL && !eS ? 1 : eS && !eL ? -1 : 0;
      const price = nextOpen ? open[t] : close[t];
      if ((pos > 0 && (ex[b] === 1 || want < 0)) || (pos < 0 && ((sx !== null && sx[b] === 1) || want > 0))) {
        // Same arithmetic as simulate's closeTrade.
        const side = pos > 0 ? 1 : -1;
        const px = slipped(price, -side, slip);
        cash += pos * px - commissionOf(pos * side, px, rate, perShare, minC);
        pos = 0;
        trades++;
      }
      if (want !== 0 && pos === 0) {
        // Same arithmetic as simulate's openTrade with one symbol.
        const px = entryPriceOf(slipped(price, want, slip), want, adj);
        let budget = fraction * cash;
        if (budget > cash) budget = cash;
        const units = maxUnitsOf(budget, px, rate, perShare, minC, fractional);
        if (units > 0) {
          cash -= want * units * px + commissionOf(units, px, rate, perShare, minC);
          pos = want * units;
        }
      }
    }
    const e = pos === 0 ? cash : cash + pos * close[t];
    if (e !== prevE) {
      const r = e / prevE - 1;
      sum += r;
      sumSq += r * r;
      prevE = e;
    }
    if (e > peak) peak = e;
    else if (e < peak * lim) {
      const d = e / peak - 1;
      if (d < maxDd) {
        maxDd = d;
        lim = (1 + d) * (1 + 1e-9);
      }
    }
  }
  out.finalEquity = prevE;
  out.numTrades = trades;
  out.maxDrawdown = maxDd;
  out.sharpe = sharpeFromSums(sum, sumSq, n - 1, periodsPerYear);
}
