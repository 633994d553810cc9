/**
 * Calendar views of a backtest: returns by month (the heatmap traders read) and a histogram of
 * trade returns. Pure; timestamps are UTC milliseconds.
 */

export interface MonthReturn {
  year: number;
  /** 0 = January. */
  month: number;
  /** Percent: last equity of the month over the last equity of the month before (or the first value), minus one. */
  returnPct: number;
}

/**
 * Month-by-month returns of an equity curve. The first month is measured from the first value.
 * Non-finite equity values are skipped.
 */
export function monthlyReturns(timestampsMs: ArrayLike<number>, equity: ArrayLike<number>): MonthReturn[] {
  const out: MonthReturn[] = [];
  let base = NaN;
  let key = -1;
  let last = NaN;
  const close = () => {
    if (key >= 0 && Number.isFinite(base) && base !== 0)
      out.push({ year: Math.floor(key / 12), month: key % 12, returnPct: (last / base - 1) * 100 });
    base = last;
  };
  for (let i = 0; i < Math.min(timestampsMs.length, equity.length); i++) {
    const v = equity[i];
    if (!Number.isFinite(v)) continue;
    const d = new Date(timestampsMs[i]);
    const k = d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (key === -1) {
      key = k;
      base = v;
    } else if (k !== key) {
      close();
      key = k;
    }
    last = v;
  }
  if (key >= 0) close();
  return out;
}

/** Compounded return of the months given (percent). */
export function compound(returnsPct: readonly number[]): number {
  return (returnsPct.reduce((acc, r) => acc * (1 + r / 100), 1) - 1) * 100;
}

export interface Bin {
  from: number;
  to: number;
  count: number;
}

/** Histogram with round bin edges (width 1, 2, 2.5 or 5 × 10^k) and about `bins` bins. */
export function histogram(values: readonly number[], bins = 20): Bin[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [];
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const raw = (max - min) / Math.max(1, bins);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((w) => w >= raw) ?? 10 * mag;
  const start = Math.floor(min / width) * width;
  const n = Math.max(1, Math.ceil((max - start) / width + 1e-9));
  const out: Bin[] = Array.from({ length: n }, (_, i) => ({
    from: +(start + i * width).toPrecision(12),
    to: +(start + (i + 1) * width).toPrecision(12),
    count: 0,
  }));
  for (const v of finite) out[Math.min(n - 1, Math.floor((v - start) / width))].count++;
  return out;
}
