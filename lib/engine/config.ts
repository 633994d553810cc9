/**
 * Simulation configuration: grouped, units in the names, every field optional with a documented
 * default. `resolveConfig` fills the defaults and rejects impossible values with
 * {@link InvalidConfigError}. See lib/engine/README.md for the exact fill, cost and sizing rules.
 */
import { InvalidConfigError } from "./errors";

/** When an order decided on bar t's close is filled. */
export type FillTiming = "next-open" | "close";

/**
 * How commission reaches the account.
 * - `"per-leg"` (default): every fill pays `commissionRate × traded value` (+ per-share, at least
 *   `commissionMin`), on entry and on exit. Buying N at P costs N·P·(1+rate); selling yields N·P·(1−rate).
 * - `"entry-price-adjusted"`: the entry fill price itself is moved by the rate (long P·(1+rate), short
 *   P·(1−rate)) and exits fill at the unadjusted price with no rate commission — the convention of
 *   backtesting.py's published SmaCross figures. Per-share and minimum commissions stay per leg.
 */
export type CommissionModel = "per-leg" | "entry-price-adjusted";

export interface CostConfig {
  /** Commission as a fraction of traded value (0.002 = 0.2 %). Default 0. */
  commissionRate: number;
  /** Commission in quote currency per unit traded. Default 0. */
  commissionPerShare: number;
  /** Minimum commission per fill in quote currency (only when a fill has a commission). Default 0. */
  commissionMin: number;
  /** Adverse slippage in basis points of price on every fill (buys higher, sells lower). Default 0. */
  slippageBps: number;
  /** Default `"per-leg"`. */
  commissionModel: CommissionModel;
}

/** How many units an entry buys or sells short. */
export type SizingMode = "fraction" | "cash" | "units" | "vol-target";

export interface SizingConfig {
  /** Default `"fraction"`. */
  mode: SizingMode;
  /** `fraction` mode: fraction of current equity per position. Default 1 / min(maxPositions, symbols). */
  fraction?: number;
  /** `cash` mode: quote currency to commit per entry (capped by what is available). */
  cashPerTrade?: number;
  /** `units` mode: units per entry (capped by what is available). */
  units?: number;
  /** `vol-target` mode: annualized volatility the position should carry (0.15 = 15 %). Default 0.15. */
  targetVolAnnual?: number;
  /** `vol-target` mode: close-to-close log-return window in bars, ending at the signal bar. Default 20. */
  volLookbackBars?: number;
  /** `vol-target` mode: bars per year for annualizing. Default 252. */
  periodsPerYear?: number;
  /** Allow fractional units (crypto). Default false: whole units, rounded down. */
  fractional: boolean;
}

export interface StopConfig {
  /** Stop-loss distance as a fraction of the entry fill price (0.05 = 5 %). NaN/undefined = none. */
  stopLossPct?: number;
  /** Take-profit distance as a fraction of the entry fill price. NaN/undefined = none. */
  takeProfitPct?: number;
  /** Trailing stop distance as a fraction of the best price since entry. NaN/undefined = none. */
  trailingStopPct?: number;
}

export interface PortfolioConfig {
  /** Most positions open at once across the universe. Default: number of symbols. */
  maxPositions?: number;
}

export interface SimConfig {
  /** Starting cash in quote currency. Default 10 000. */
  initialCash: number;
  /** Default `"next-open"`: a signal on bar t's close fills at bar t+1's open. */
  fill: FillTiming;
  costs: Partial<CostConfig>;
  sizing: Partial<SizingConfig>;
  stops: StopConfig;
  portfolio: PortfolioConfig;
  /** Honour `shortEntries` / `shortExits`. Default true (they are ignored when absent). */
  allowShort: boolean;
  /** Close every open position at the last bar's close (exit reason `end_of_data`). Default false. */
  closeAtEnd: boolean;
}

/** {@link SimConfig} with every default applied. */
export interface ResolvedConfig {
  initialCash: number;
  fill: FillTiming;
  costs: CostConfig;
  sizing: Required<SizingConfig>;
  stopLossPct: number;
  takeProfitPct: number;
  trailingStopPct: number;
  maxPositions: number;
  allowShort: boolean;
  closeAtEnd: boolean;
}

/** Input accepted by the engine: any subset of {@link SimConfig}, groups themselves partial. */
export type SimConfigInput = Partial<{
  [K in keyof SimConfig]: SimConfig[K] extends object ? Partial<SimConfig[K]> : SimConfig[K];
}>;

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new InvalidConfigError(name, `must be a finite number >= 0, got ${value}`);
  return value;
}

function optionalPct(name: string, value: number | undefined): number {
  if (value === undefined || Number.isNaN(value)) return NaN;
  if (!(value > 0)) throw new InvalidConfigError(name, `must be > 0 (a fraction, 0.05 = 5 %), got ${value}`);
  return value;
}

/** Applies defaults to a partial config for a universe of `symbolCount` symbols. */
export function resolveConfig(input: SimConfigInput, symbolCount: number): ResolvedConfig {
  const costs = input.costs ?? {};
  const sizing = input.sizing ?? {};
  const stops = input.stops ?? {};
  const maxPositions = input.portfolio?.maxPositions ?? Math.max(1, symbolCount);
  if (!Number.isInteger(maxPositions) || maxPositions < 1) {
    throw new InvalidConfigError("portfolio.maxPositions", `must be a whole number >= 1, got ${maxPositions}`);
  }
  const initialCash = input.initialCash ?? 10_000;
  if (!(initialCash > 0) || !Number.isFinite(initialCash))
    throw new InvalidConfigError("initialCash", `must be > 0, got ${initialCash}`);
  const fill = input.fill ?? "next-open";
  if (fill !== "next-open" && fill !== "close")
    throw new InvalidConfigError("fill", `must be "next-open" or "close", got ${String(fill)}`);
  const commissionModel = costs.commissionModel ?? "per-leg";
  if (commissionModel !== "per-leg" && commissionModel !== "entry-price-adjusted") {
    throw new InvalidConfigError(
      "costs.commissionModel",
      `must be "per-leg" or "entry-price-adjusted", got ${String(commissionModel)}`,
    );
  }
  const mode = sizing.mode ?? "fraction";
  if (!["fraction", "cash", "units", "vol-target"].includes(mode))
    throw new InvalidConfigError("sizing.mode", `unknown mode ${String(mode)}`);
  const fraction = sizing.fraction ?? 1 / Math.min(maxPositions, Math.max(1, symbolCount));
  if (!(fraction > 0) || !Number.isFinite(fraction))
    throw new InvalidConfigError("sizing.fraction", `must be > 0, got ${fraction}`);
  const rate = nonNegative("costs.commissionRate", costs.commissionRate ?? 0);
  if (rate >= 1)
    throw new InvalidConfigError("costs.commissionRate", `is a fraction of traded value and must be < 1, got ${rate}`);
  const resolved: ResolvedConfig = {
    initialCash,
    fill,
    costs: {
      commissionRate: rate,
      commissionPerShare: nonNegative("costs.commissionPerShare", costs.commissionPerShare ?? 0),
      commissionMin: nonNegative("costs.commissionMin", costs.commissionMin ?? 0),
      slippageBps: nonNegative("costs.slippageBps", costs.slippageBps ?? 0),
      commissionModel,
    },
    sizing: {
      mode,
      fraction,
      cashPerTrade: sizing.cashPerTrade ?? NaN,
      units: sizing.units ?? NaN,
      targetVolAnnual: sizing.targetVolAnnual ?? 0.15,
      volLookbackBars: sizing.volLookbackBars ?? 20,
      periodsPerYear: sizing.periodsPerYear ?? 252,
      fractional: sizing.fractional ?? false,
    },
    stopLossPct: optionalPct("stops.stopLossPct", stops.stopLossPct),
    takeProfitPct: optionalPct("stops.takeProfitPct", stops.takeProfitPct),
    trailingStopPct: optionalPct("stops.trailingStopPct", stops.trailingStopPct),
    maxPositions,
    allowShort: input.allowShort ?? true,
    closeAtEnd: input.closeAtEnd ?? false,
  };
  if (mode === "cash" && !(resolved.sizing.cashPerTrade > 0))
    throw new InvalidConfigError("sizing.cashPerTrade", "must be > 0 in cash mode");
  if (mode === "units" && !(resolved.sizing.units > 0))
    throw new InvalidConfigError("sizing.units", "must be > 0 in units mode");
  if (mode === "vol-target") {
    if (!(resolved.sizing.targetVolAnnual > 0)) throw new InvalidConfigError("sizing.targetVolAnnual", "must be > 0");
    if (!Number.isInteger(resolved.sizing.volLookbackBars) || resolved.sizing.volLookbackBars < 2) {
      throw new InvalidConfigError("sizing.volLookbackBars", "must be a whole number >= 2");
    }
  }
  return resolved;
}
