/**
 * Screen mode: run the strategy over each symbol's history and read only the latest bar.
 * Symbols with an entry on that bar come first, then by score (highest first); NaN scores last.
 * Only symbols with an entry are listed unless `includeNonMatching` asks for the rest too (their
 * `signal` is false).
 */
import type { StaleSymbol } from "@/lib/data/staleness";
import { type ModeRequest, buildInputs, changePct, finiteOrNull, isoTime, prepareStrategy } from "./common";
import type { ParamValues } from "@/lib/sdk/types";

/**
 * Default history per symbol for a screen: two years of daily bars. Longer than any example's
 * warm-up (momentum 252 + trend 250), and recursive indicators (EMA, Wilder RSI) have forgotten
 * their seed after this many bars (weight (13/14)^490 ≈ 1e-16), so the last bar's values match a
 * full-history run to rounding while the screen moves ~5× less data.
 */
export const SCREEN_HISTORY_BARS = 504;

export interface ScreenRequest extends ModeRequest {
  /** Most results to return. Default 50. */
  limit?: number;
  /**
   * Bars of history handed to the strategy per symbol (the most recent ones). Default
   * {@link SCREEN_HISTORY_BARS}; `Infinity` passes everything given.
   */
  historyBars?: number;
  /** Also list symbols without an entry on the latest bar, after the matches (`signal: false`). Default false. */
  includeNonMatching?: boolean;
  /** Sector by symbol, for rows of strategies that do not ask for fundamentals (which carry it). */
  sectors?: Record<string, string | null>;
}

/** One ranked symbol and the values that drove its place. */
export interface ScreenRow {
  rank: number;
  symbol: string;
  /** The strategy's score on the latest bar; null when it gave none. */
  score: number | null;
  /** Entry flag on the latest bar. */
  signal: boolean;
  current_price: number;
  timestamp: string;
  /** The symbol's sector; null when the data has none. */
  sector: string | null;
  data: {
    close: number;
    open: number;
    volume: number;
    daily_change_pct: number | null;
    entry: boolean;
    exit: boolean;
    short_entry?: boolean;
    confidence?: number | null;
    stop_loss?: number | null;
    take_profit?: number | null;
  };
}

export interface ScreenResult {
  /** Symbols whose provider data is stale as of the run (lib/data/staleness.ts); absent when none. */
  stale?: StaleSymbol[];
  success: true;
  strategy_id: string | number | null;
  execution_mode: "screening";
  strategy: { name: string; params: ParamValues };
  ranked_results: ScreenRow[];
  /** Latest-bar score of every screened symbol (null when none), not only the top N. */
  scores: Record<string, number | null>;
  universe_size: number;
  /** Symbols with an entry on their latest bar. */
  matches: number;
  /** Newest bar time across the universe. */
  as_of: string | null;
}

/** Rank a universe by the strategy's latest-bar signal and score. */
export async function runScreen(req: ScreenRequest): Promise<ScreenResult> {
  const prepared = await prepareStrategy(req);
  const universe = req.universe.filter((s) => s.close.length > 0);
  const inputs = buildInputs(universe, prepared.info, req.fundamentals, req.macro).map((input) => {
    const keep = req.historyBars ?? SCREEN_HISTORY_BARS;
    if (input.bars.close.length <= keep) return input;
    const from = input.bars.close.length - keep;
    const bars = { ...input.bars };
    for (const key of [
      "open",
      "high",
      "low",
      "close",
      "volume",
      "timestamps",
      "marketCap",
      "pe",
      "eps",
      "revenue",
      "pb",
      "debtToEquity",
    ] as const) {
      const arr = bars[key];
      if (arr) bars[key] = arr.subarray(from);
    }
    if (bars.macro)
      bars.macro = Object.fromEntries(Object.entries(bars.macro).map(([id, v]) => [id, v.subarray(from)]));
    return { symbol: input.symbol, bars };
  });
  const outputs = await prepared.runner.signals(req.source, inputs, prepared.params);
  const rows: ScreenRow[] = inputs.map(({ symbol, bars }, k) => {
    const out = outputs[k];
    const i = bars.close.length - 1;
    const row: ScreenRow = {
      rank: 0,
      symbol,
      score: finiteOrNull(out.score?.[i]),
      signal: out.entries[i] === 1,
      current_price: bars.close[i],
      timestamp: isoTime(bars.timestamps[i]),
      sector: bars.sector || req.fundamentals?.[symbol]?.sector || req.sectors?.[symbol] || null,
      data: {
        close: bars.close[i],
        open: bars.open[i],
        volume: bars.volume[i],
        daily_change_pct: changePct(bars.close[i], i > 0 ? bars.close[i - 1] : undefined),
        entry: out.entries[i] === 1,
        exit: out.exits[i] === 1,
      },
    };
    if (out.shortEntries) row.data.short_entry = out.shortEntries[i] === 1;
    if (out.confidence) row.data.confidence = finiteOrNull(out.confidence[i]);
    if (out.stopLoss) row.data.stop_loss = finiteOrNull(out.stopLoss[i]);
    if (out.takeProfit) row.data.take_profit = finiteOrNull(out.takeProfit[i]);
    return row;
  });
  const scores: Record<string, number | null> = {};
  for (const r of rows) scores[r.symbol] = r.score;
  rows.sort(compareRows);
  const limit = req.limit ?? 50;
  const listed = req.includeNonMatching ? rows : rows.filter((r) => r.signal);
  const ranked = listed.slice(0, Math.max(0, limit)).map((r, k) => ({ ...r, rank: k + 1 }));
  const latest = universe.reduce((m, s) => Math.max(m, s.timestampsMs[s.timestampsMs.length - 1]), -Infinity);
  return {
    success: true,
    strategy_id: req.strategyId ?? null,
    execution_mode: "screening",
    strategy: { name: prepared.info.name, params: prepared.params },
    ranked_results: ranked,
    scores,
    universe_size: req.universe.length,
    matches: rows.filter((r) => r.signal).length,
    as_of: Number.isFinite(latest) ? isoTime(latest) : null,
  };
}

/** Entries first, then score descending (null last), then symbol for a stable order. */
export function compareRows(
  a: Pick<ScreenRow, "signal" | "score" | "symbol">,
  b: Pick<ScreenRow, "signal" | "score" | "symbol">,
): number {
  if (a.signal !== b.signal) return a.signal ? -1 : 1;
  if (a.score !== b.score) {
    if (a.score === null) return 1;
    if (b.score === null) return -1;
    return b.score - a.score;
  }
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}
