/**
 * Small pure pricing and sizing rules shared by {@link simulate} and the sweep kernel, so both
 * produce bit-identical numbers. `dir` is +1 for a buy (long entry, short exit) and -1 for a sell.
 */
import type { CostConfig } from "./config";

/** Price after adverse slippage: buys fill higher, sells lower. */
export function slipped(price: number, dir: number, slippageBps: number): number {
  return slippageBps === 0 ? price : price * (1 + (dir * slippageBps) / 10_000);
}

/**
 * Recorded entry price for a position of direction `side` (+1 long, -1 short) opened at raw fill `price`.
 * Under `entry-price-adjusted` the commission rate is folded into the price (long higher, short lower).
 */
export function entryFillPrice(price: number, side: number, costs: CostConfig): number {
  return costs.commissionModel === "entry-price-adjusted" && costs.commissionRate !== 0
    ? price * (1 + side * costs.commissionRate)
    : price;
}

/** Commission in quote currency for `units` filled at `price` (0 when nothing is filled). */
export function commission(units: number, price: number, costs: CostConfig): number {
  if (units <= 0) return 0;
  const rate = costs.commissionModel === "per-leg" ? costs.commissionRate : 0;
  const variable = units * price * rate + units * costs.commissionPerShare;
  if (variable === 0 && costs.commissionMin === 0) return 0;
  return variable > costs.commissionMin ? variable : costs.commissionMin;
}

/**
 * Largest number of units whose entry cost `units × fillPrice + commission(units)` fits in `budget`.
 * Whole units unless `fractional`. `fillPrice` is the recorded entry price (see {@link entryFillPrice}).
 */
export function maxUnits(budget: number, fillPrice: number, costs: CostConfig, fractional: boolean): number {
  if (!(budget > 0)) return 0;
  const rate = costs.commissionModel === "per-leg" ? costs.commissionRate : 0;
  const unitCost = fillPrice * (1 + rate) + costs.commissionPerShare;
  let n = budget / unitCost;
  if (costs.commissionMin > 0) {
    const byMin = (budget - costs.commissionMin) / fillPrice;
    if (byMin < n) n = byMin;
  }
  if (fractional) return n > 0 ? n : 0;
  n = Math.floor(n);
  // Float division can land one unit off in either direction; settle on the exact largest fit.
  while (n > 0 && n * fillPrice + commission(n, fillPrice, costs) > budget) n--;
  while ((n + 1) * fillPrice + commission(n + 1, fillPrice, costs) <= budget) n++;
  return n > 0 ? n : 0;
}
