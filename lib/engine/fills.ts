/**
 * Small pure pricing and sizing rules shared by {@link simulate} and the sweep kernels, so both
 * produce bit-identical numbers. `dir` is +1 for a buy (long entry, short exit) and -1 for a sell.
 * The `…Of` variants take plain numbers (what the hot loops call); the others read a CostConfig.
 */
import type { CostConfig } from "./config";

/** Price after adverse slippage: buys fill higher, sells lower. */
export function slipped(price: number, dir: number, slippageBps: number): number {
  return slippageBps === 0 ? price : price * (1 + (dir * slippageBps) / 10_000);
}

/** Commission rate charged per leg: the rate under `per-leg`, 0 under `entry-price-adjusted`. */
export function legRate(costs: CostConfig): number {
  return costs.commissionModel === "per-leg" ? costs.commissionRate : 0;
}

/** Rate folded into the entry price: 0 under `per-leg`, the rate under `entry-price-adjusted`. */
export function priceAdjustRate(costs: CostConfig): number {
  return costs.commissionModel === "entry-price-adjusted" ? costs.commissionRate : 0;
}

/** Recorded entry price for side +1 (long) / -1 (short) from raw fill `price` (see {@link priceAdjustRate}). */
export function entryPriceOf(price: number, side: number, adjustRate: number): number {
  return adjustRate !== 0 ? price * (1 + side * adjustRate) : price;
}

/** Commission for `units` at `price`: `max(min, units·price·rate + units·perShare)`, 0 when nothing fills or nothing is charged. */
export function commissionOf(units: number, price: number, rate: number, perShare: number, min: number): number {
  if (units <= 0) return 0;
  const variable = units * price * rate + units * perShare;
  if (variable === 0 && min === 0) return 0;
  return variable > min ? variable : min;
}

/** Largest units with `units·price + commissionOf(units, …) <= budget` (whole units unless `fractional`). */
export function maxUnitsOf(
  budget: number,
  price: number,
  rate: number,
  perShare: number,
  min: number,
  fractional: boolean,
): number {
  if (!(budget > 0)) return 0;
  let n = budget / (price * (1 + rate) + perShare);
  if (min > 0) {
    const byMin = (budget - min) / price;
    if (byMin < n) n = byMin;
  }
  if (fractional) return n > 0 ? n : 0;
  n = Math.floor(n);
  // Float division can land one unit off in either direction; settle on the exact largest fit.
  while (n > 0 && n * price + commissionOf(n, price, rate, perShare, min) > budget) n--;
  while ((n + 1) * price + commissionOf(n + 1, price, rate, perShare, min) <= budget) n++;
  return n > 0 ? n : 0;
}

/** {@link entryPriceOf} reading the cost config. */
export function entryFillPrice(price: number, side: number, costs: CostConfig): number {
  return entryPriceOf(price, side, priceAdjustRate(costs));
}

/** {@link commissionOf} reading the cost config. */
export function commission(units: number, price: number, costs: CostConfig): number {
  return commissionOf(units, price, legRate(costs), costs.commissionPerShare, costs.commissionMin);
}

/** {@link maxUnitsOf} reading the cost config; `price` is the recorded entry price. */
export function maxUnits(budget: number, price: number, costs: CostConfig, fractional: boolean): number {
  return maxUnitsOf(budget, price, legRate(costs), costs.commissionPerShare, costs.commissionMin, fractional);
}
