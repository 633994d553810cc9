/**
 * Stale data in run results. Rule: a symbol whose bars come from a market-data provider (data
 * that hydration and the scheduled refresh keep current) is **stale** when its last bar is more
 * than {@link STALE_TRADING_DAYS} trading days (Monday–Friday, UTC calendar days) behind the
 * run's as-of day: the run's `to` when given, else the day it ran — the newest daily bar any
 * provider could have is the last weekday up to that day. Demo, synthetic and CSV-imported
 * series are not flagged (nothing refreshes them). Holidays are counted as trading days, so the
 * rule errs on the side of not flagging a symbol.
 */

/** A daily universe refreshed once a day is at most a long weekend behind; a week of missing bars is not. */
export const STALE_TRADING_DAYS = 5;

const DAY = 86_400_000;

export interface StaleSymbol {
  symbol: string;
  /** Its last bar's day (YYYY-MM-DD). */
  lastBar: string;
  /** Trading days between its last bar and the as-of day. */
  tradingDaysBehind: number;
}

/** Weekdays after `fromMs`'s UTC day up to and including `toMs`'s (0 when `toMs` is not later). */
export function tradingDaysBetween(fromMs: number, toMs: number): number {
  const a = Math.floor(fromMs / DAY),
    b = Math.floor(toMs / DAY);
  if (b <= a) return 0;
  let n = 0;
  // Whole weeks hold five weekdays each; count the remainder day by day.
  const days = b - a;
  n += Math.floor(days / 7) * 5;
  for (let d = a + Math.floor(days / 7) * 7 + 1; d <= b; d++) {
    const wd = (d + 4) % 7; // 1970-01-01 (day 0) was a Thursday: 0 = Sunday … 6 = Saturday
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

/**
 * The stale symbols among `rows` (provider-sourced, not synthetic) as of `asOfMs`, in the order
 * given. `providerSources` names the sources that count as provider data.
 */
export function findStale(
  rows: readonly { symbol: string; source: string; synthetic: boolean; lastMs: number | null }[],
  asOfMs: number,
  providerSources: readonly string[],
  maxTradingDays = STALE_TRADING_DAYS,
): StaleSymbol[] {
  const out: StaleSymbol[] = [];
  for (const r of rows) {
    if (r.synthetic || r.lastMs === null || !providerSources.includes(r.source)) continue;
    const behind = tradingDaysBetween(r.lastMs, asOfMs);
    if (behind > maxTradingDays)
      out.push({ symbol: r.symbol, lastBar: new Date(r.lastMs).toISOString().slice(0, 10), tradingDaysBehind: behind });
  }
  return out;
}
