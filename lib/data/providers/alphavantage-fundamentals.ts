/**
 * Alpha Vantage fundamentals as the product's per-bar {@link FundamentalSeries}, without looking
 * ahead: a value is used only on bars after the day it became public.
 *
 * - `eps`: trailing twelve months, the sum of the last four quarters' reported EPS (EARNINGS),
 *   known from the first bar after the quarter's `reportedDate` (a report may come after the
 *   close, so the report day's own bar does not see it); NaN until four quarters are known or
 *   when one of them is missing.
 * - `pe`: close / eps where eps > 0, else NaN.
 * - `marketCap` (close × SharesOutstanding), `revenue` (RevenueTTM), `pb` (close / BookValue per
 *   share): OVERVIEW publishes these as of its `LatestQuarter` only, so they start at the first
 *   bar after that quarter's report date (from EARNINGS); earlier bars are NaN.
 * - `debtToEquity`: not published by OVERVIEW or EARNINGS; NaN.
 * - `sector`: OVERVIEW's Sector in title case.
 */
import type { BarSeries, FundamentalSeries } from "../bars";
import type { AlphaVantageOverview, AlphaVantageQuarter } from "./alphavantage";

export function alphaVantageFundamentals(
  bars: BarSeries,
  overview: AlphaVantageOverview,
  quarters: AlphaVantageQuarter[],
): FundamentalSeries {
  const n = bars.close.length;
  const nan = () => new Float64Array(n).fill(Number.NaN);
  const out: FundamentalSeries = {
    sector: overview.sector,
    marketCap: nan(),
    pe: nan(),
    eps: nan(),
    revenue: nan(),
    pb: nan(),
    debtToEquity: nan(),
  };
  const sorted = quarters.toSorted((a, b) => a.reportedMs - b.reportedMs);
  const latest = sorted.find((q) => q.fiscalEndMs === overview.latestQuarterMs);
  const snapshotFromMs = latest ? latest.reportedMs : Number.POSITIVE_INFINITY;
  let known = 0;
  for (let i = 0; i < n; i++) {
    const t = bars.timestampsMs[i];
    while (known < sorted.length && sorted[known].reportedMs < t) known++;
    if (known >= 4) {
      let ttm = 0;
      for (let k = known - 4; k < known; k++) ttm += sorted[k].eps;
      out.eps[i] = ttm;
      if (ttm > 0) out.pe[i] = bars.close[i] / ttm;
    }
    if (t > snapshotFromMs) {
      out.marketCap[i] = bars.close[i] * overview.sharesOutstanding;
      out.revenue[i] = overview.revenueTtm;
      if (overview.bookValuePerShare > 0) out.pb[i] = bars.close[i] / overview.bookValuePerShare;
    }
  }
  return out;
}
