/**
 * Event-driven SMA-crossover kernel for sweeps. Instead of testing the cross condition on every bar,
 * it walks the pair's precomputed crossing events (./sweep-cross.ts, ~60 per pair on 2,520 bars) and
 * only touches bars where the account changes:
 *
 * - fills use the same arithmetic as `simulate` (./fills.ts, same operation order), so final equity,
 *   trade count and max drawdown are bit-identical to a full backtest;
 * - while flat, equity is constant: nothing to do until the next fill;
 * - while in a position, each bar's return feeds the one-pass Sharpe sums (the only per-bar work),
 *   and max drawdown is settled from the range max/min of the close over the stretch (equity is
 *   monotone in the close at constant units and cash) — a bar-by-bar pass happens only when the
 *   stretch makes a new equity high AND could hold a deeper drawdown than the worst so far.
 */
import type { ResolvedConfig } from "./config";
import { commissionOf, entryPriceOf, legRate, maxUnitsOf, priceAdjustRate, slipped } from "./fills";
import { rangeMax, rangeMin, type CrossEvents } from "./sweep-cross";
import { sharpeFromSums, type KernelStats } from "./sweep-kernel";

/** Config numbers the kernel reads, resolved once per sweep. */
export interface CrossKernelConfig {
  initialCash: number;
  nextOpen: boolean;
  allowShort: boolean;
  slip: number;
  rate: number;
  adj: number;
  perShare: number;
  minC: number;
  fraction: number;
  fractional: boolean;
}

/** Extracts the kernel's numbers from a resolved config (which must pass `kernelSupports`). */
export function crossKernelConfig(cfg: ResolvedConfig): CrossKernelConfig {
  return {
    initialCash: cfg.initialCash,
    nextOpen: cfg.fill === "next-open",
    allowShort: cfg.allowShort,
    slip: cfg.costs.slippageBps,
    rate: legRate(cfg.costs),
    adj: priceAdjustRate(cfg.costs),
    perShare: cfg.costs.commissionPerShare,
    minC: cfg.costs.commissionMin,
    fraction: cfg.sizing.fraction,
    fractional: cfg.sizing.fractional,
  };
}

/**
 * Runs one (fast, slow) combo: long on fast crossing above slow, exit on crossing below (or reverse
 * to short there when `short` and the config allows shorts). Writes into `out`.
 * @throws Error when a window was not prepared.
 */
export function runCrossEvents(
  open: Float64Array,
  close: Float64Array,
  cache: CrossEvents,
  fast: number,
  slow: number,
  short: boolean,
  k: CrossKernelConfig,
  periodsPerYear: number,
  out: KernelStats,
): void {
  const n = close.length;
  const fi = fast < cache.windowIndex.length ? cache.windowIndex[fast] : -1;
  const si = slow < cache.windowIndex.length ? cache.windowIndex[slow] : -1;
  if (fi < 0 || si < 0) throw new Error(`sma-cross: window ${fast}/${slow} was not prepared`);
  const W = cache.windows.length;
  // Events are stored for (lower index, higher index); flip directions when fast is the higher one.
  const key = fi < si ? fi * W + si : si * W + fi;
  const lowerUp = fi < si ? 1 : 0; // event bit meaning "fast crossed above slow"
  // The pair's events, segment by segment (bar ranges in order); none when fast = slow.
  const offsets = cache.offsets,
    stride = W * W + 1,
    lastSeg = fi === si ? 0 : cache.segments - 1;
  let seg = 0,
    q = offsets[key],
    to = fi === si ? q : offsets[key + 1];
  const events = cache.events,
    cMax = cache.closeMax,
    cMin = cache.closeMin;
  const reverse = short && k.allowShort,
    shift = k.nextOpen ? 1 : 0;
  const slip = k.slip,
    rate = k.rate,
    perShare = k.perShare,
    minC = k.minC;

  let cash = k.initialCash,
    pos = 0,
    trades = 0;
  let prevE = cash,
    peak = cash,
    maxDd = 0,
    sum = 0,
    sumSq = 0;
  let cur = 1; // bars < cur are accounted for; bar 0 holds the initial cash (no fill can happen there)
  for (;;) {
    let fb = n,
      up = false,
      dn = false;
    while (q === to && seg < lastSeg) {
      seg++;
      q = offsets[seg * stride + key];
      to = offsets[seg * stride + key + 1];
    }
    if (q < to) {
      const ev = events[q++];
      fb = (ev >> 1) + shift;
      if (fb < n) {
        up = (ev & 1) === lowerUp;
        dn = !up;
        if (!((pos > 0 && dn) || (pos < 0 && up) || (pos === 0 && (up || (dn && reverse))))) continue;
      } else fb = n;
    }
    // Bars [cur, fb) at constant units and cash.
    if (pos !== 0 && cur < fb) {
      // Max drawdown first, from the stretch's equity range (exact: equity is monotone in the close).
      const hiC = pos > 0 ? rangeMax(cMax, n, cur, fb) : rangeMin(cMin, n, cur, fb);
      const loC = pos > 0 ? rangeMin(cMin, n, cur, fb) : rangeMax(cMax, n, cur, fb);
      const eHi = cash + pos * hiC,
        eLo = cash + pos * loC;
      let perBarDd = false;
      if (eHi <= peak) {
        const d = eLo / peak - 1;
        if (d < maxDd) maxDd = d;
      } else if (eLo > 0 && eLo / eHi - 1 >= maxDd)
        peak = eHi; // new high; no bar can be deeper than maxDd
      else perBarDd = true;
      let pe = prevE;
      if (!perBarDd) {
        for (let t = cur; t < fb; t++) {
          const e = cash + pos * close[t];
          const r = e / pe - 1;
          sum += r;
          sumSq += r * r;
          pe = e;
        }
      } else {
        let lim = (1 + maxDd) * (1 + 1e-9); // cheap pre-test: only bars below peak × lim can deepen maxDd
        for (let t = cur; t < fb; t++) {
          const e = cash + pos * close[t];
          const r = e / pe - 1;
          sum += r;
          sumSq += r * r;
          pe = e;
          if (e > peak) peak = e;
          else if (e < peak * lim) {
            const d = e / peak - 1;
            if (d < maxDd) {
              maxDd = d;
              lim = (1 + d) * (1 + 1e-9);
            }
          }
        }
      }
      prevE = pe;
    }
    if (fb >= n) break;
    const price = shift === 1 ? open[fb] : close[fb];
    if ((pos > 0 && dn) || (pos < 0 && up)) {
      // Same arithmetic as simulate's closeTrade.
      const side = pos > 0 ? 1 : -1;
      const px = slipped(price, -side, slip);
      cash += pos * px - commissionOf(pos * side, px, rate, perShare, minC);
      pos = 0;
      trades++;
    }
    const want = up ? 1 : dn && reverse ? -1 : 0;
    if (want !== 0 && pos === 0) {
      // Same arithmetic as simulate's openTrade with one symbol.
      const px = entryPriceOf(slipped(price, want, slip), want, k.adj);
      let budget = k.fraction * cash;
      if (budget > cash) budget = cash;
      const units = maxUnitsOf(budget, px, rate, perShare, minC, k.fractional);
      if (units > 0) {
        cash -= want * units * px + commissionOf(units, px, rate, perShare, minC);
        pos = want * units;
      }
    }
    const e = pos === 0 ? cash : cash + pos * close[fb];
    const r = e / prevE - 1;
    sum += r;
    sumSq += r * r;
    prevE = e;
    if (e > peak) peak = e;
    else {
      const d = e / peak - 1;
      if (d < maxDd) maxDd = d;
    }
    cur = fb + 1;
  }
  out.finalEquity = prevE;
  out.numTrades = trades;
  out.maxDrawdown = maxDd;
  out.sharpe = sharpeFromSums(sum, sumSq, n - 1, periodsPerYear);
}
