/**
 * Output types of {@link simulate}. Per-bar series are columnar typed arrays aligned with the bars;
 * trades are few and stay plain records.
 */
import type { ResolvedConfig } from "./config";

/** Why a trade was closed. */
export type ExitReason = "signal" | "stop_loss" | "take_profit" | "trailing_stop" | "end_of_data" | "reverse";

export type Side = "long" | "short";

/** One closed round trip. Prices are fill prices (after slippage; after commission under `entry-price-adjusted`). */
export interface TradeRecord {
  symbol: string;
  side: Side;
  /** Bar index of the entry fill. */
  entryBar: number;
  /** Bar index of the exit fill. */
  exitBar: number;
  entryTimeMs: number;
  exitTimeMs: number;
  entryPrice: number;
  exitPrice: number;
  /** Units, always positive; `side` gives the direction. */
  size: number;
  /** Net profit in quote currency after both commissions. */
  pnl: number;
  /** `pnl / (size × entryPrice) × 100`. */
  returnPct: number;
  /** `exitBar - entryBar`. */
  barsHeld: number;
  exitReason: ExitReason;
  entryCommission: number;
  exitCommission: number;
}

/** A position still open after the last bar, marked to the last close (not a closed trade). */
export interface OpenPosition {
  symbol: string;
  side: Side;
  entryBar: number;
  entryTimeMs: number;
  entryPrice: number;
  size: number;
  /** Last close. */
  markPrice: number;
  /** Mark-to-market profit after the entry commission, before any exit commission. */
  unrealizedPnl: number;
  /** `unrealizedPnl / (size × entryPrice) × 100`. */
  returnPct: number;
  /** `lastBar - entryBar`. */
  barsHeld: number;
  entryCommission: number;
}

/** Everything one simulation produced. */
export interface SimResult {
  symbols: string[];
  /** Bar timestamps (UTC ms), shared by every symbol. */
  timestampsMs: Float64Array;
  initialCash: number;
  /** Account equity at each bar's close: cash + Σ signed units × close. */
  equity: Float64Array;
  /** `equity / running max(equity) - 1` at each bar: 0 at a new high, negative below (fraction). */
  drawdown: Float64Array;
  /** Cash at each bar's close (short proceeds included). */
  cash: Float64Array;
  /** Per symbol (same order as the universe): signed units held at each bar's close. */
  positions: Float64Array[];
  /** Σ |units × close| / equity at each bar's close (0 = flat, 1 = fully invested). */
  grossExposure: Float64Array;
  /** Closed trades in exit order (ties in symbol order). */
  trades: TradeRecord[];
  openPositions: OpenPosition[];
  /** Equal-weight buy-and-hold of the same universe from the first close, no costs (see README). */
  benchmarkEquity: Float64Array;
  config: ResolvedConfig;
}
