const DAY_MS = 86_400_000;

/** Trading days a year (sessions) and calendar days (continuous markets). */
export const TRADING_DAYS_PER_YEAR = 252;
export const CALENDAR_DAYS_PER_YEAR = 365;

/**
 * Periods per year for annualizing, derived from bar timestamps (UTC ms, ascending).
 *
 * Rule, on the median interval between bars:
 * - about a week (4–10 days) → 52; about a month (20–45 days) → 12; about a quarter (80–100) → 4;
 *   about a year (330–400) → 1.
 * - daily (20 h – 4 days) or intraday (< 20 h): bars per day × days per year, where bars per day
 *   is the median number of bars per UTC calendar day (1 for daily data) and days per year is
 *   365 when the market trades through weekends (at least 15% of bars fall on a Saturday or
 *   Sunday, e.g. crypto) and 252 otherwise (exchange sessions; forex's Sunday-evening open stays
 *   well under 15%). So daily equities → 252, hourly US equities (7 bars a day) → 1764, hourly
 *   forex → 24 × 252, hourly crypto → 24 × 365.
 * - anything else: 365.25 days / median interval.
 * Throws RangeError with fewer than 2 timestamps or when they are not strictly ascending.
 */
export function periodsPerYearFromTimestamps(timestampsMs: ArrayLike<number>): number {
  const n = timestampsMs.length;
  if (n < 2) throw new RangeError(`periodsPerYearFromTimestamps: need at least 2 timestamps, got ${n}`);
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) {
    const gap = timestampsMs[i] - timestampsMs[i - 1];
    if (!(gap > 0)) {
      throw new RangeError(`periodsPerYearFromTimestamps: timestamps must be strictly ascending (index ${i})`);
    }
    gaps[i - 1] = gap;
  }
  const medianDays = median(gaps) / DAY_MS;
  if (medianDays >= 4 && medianDays <= 10) return 52;
  if (medianDays >= 20 && medianDays <= 45) return 12;
  if (medianDays >= 80 && medianDays <= 100) return 4;
  if (medianDays >= 330 && medianDays <= 400) return 1;
  if (medianDays >= 20 / 24 && medianDays < 4) return daysPerYear(timestampsMs);
  if (medianDays < 20 / 24) return medianBarsPerDay(timestampsMs) * daysPerYear(timestampsMs);
  return 365.25 / medianDays;
}

function daysPerYear(timestampsMs: ArrayLike<number>): number {
  let weekend = 0;
  for (let i = 0; i < timestampsMs.length; i++) {
    const dow = new Date(timestampsMs[i]).getUTCDay();
    if (dow === 0 || dow === 6) weekend++;
  }
  return weekend / timestampsMs.length >= 0.15 ? CALENDAR_DAYS_PER_YEAR : TRADING_DAYS_PER_YEAR;
}

function medianBarsPerDay(timestampsMs: ArrayLike<number>): number {
  const counts: number[] = [];
  let day = Math.floor(timestampsMs[0] / DAY_MS);
  let count = 0;
  for (let i = 0; i < timestampsMs.length; i++) {
    const d = Math.floor(timestampsMs[i] / DAY_MS);
    if (d !== day) {
      counts.push(count);
      day = d;
      count = 0;
    }
    count++;
  }
  counts.push(count);
  return median(Float64Array.from(counts));
}

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
