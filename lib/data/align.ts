/**
 * Aligning several symbols to one timestamp calendar so the engine can index every symbol by
 * the same bar number.
 *
 * Calendars: `union` keeps every timestamp seen in any series; `intersection` keeps only the
 * timestamps present in all series (no filling is ever needed then).
 * Fill policy for `union` (where a symbol has no bar at a calendar timestamp):
 *  - before the symbol's first bar: NaN in every column (the symbol did not exist yet);
 *  - `fill: "forward"` (default) after that: open = high = low = close = the last close,
 *    volume 0 (a day without trading, not a repeated trade);
 *  - `fill: "nan"`: NaN in every column.
 * `present[s][i]` is 1 for a real bar and 0 for a filled or missing one.
 */
import type { BarSeries } from "./bars";

/** Options of {@link alignSeries}. */
export interface AlignOptions {
  calendar?: "union" | "intersection";
  fill?: "forward" | "nan";
  /**
   * The caller hands the input arrays over (it will not use or change them again): a series
   * already on the calendar has its arrays used in the result as they are instead of copied.
   * Default false.
   */
  reuseInputs?: boolean;
}

/** Several symbols on one calendar; `close[s][i]` is symbol `symbols[s]` at `timestampsMs[i]`. */
export interface AlignedBars {
  symbols: string[];
  timestampsMs: Float64Array;
  open: Float64Array[];
  high: Float64Array[];
  low: Float64Array[];
  close: Float64Array[];
  volume: Float64Array[];
  present: Uint8Array[];
}

function sameTimestamps(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The calendar, and whether every series already has exactly it. */
function calendarOf(series: BarSeries[], mode: "union" | "intersection"): { cal: Float64Array; allSame: boolean } {
  if (series.length === 0) return { cal: new Float64Array(0), allSame: true };
  const first = series[0].timestampsMs;
  if (series.every((s) => sameTimestamps(s.timestampsMs, first))) return { cal: first.slice(), allSame: true };
  let total = 0;
  for (const s of series) total += s.timestampsMs.length;
  const all = new Float64Array(total);
  let k = 0;
  for (const s of series) {
    all.set(s.timestampsMs, k);
    k += s.timestampsMs.length;
  }
  all.sort();
  const out: number[] = [];
  let i = 0;
  while (i < all.length) {
    let j = i;
    while (j < all.length && all[j] === all[i]) j++;
    if (mode === "union" || j - i === series.length) out.push(all[i]);
    i = j;
  }
  return { cal: Float64Array.from(out), allSame: false };
}

/**
 * Align `series` to a common calendar (see the module comment for the fill policy).
 * Each input must have ascending unique timestamps (validate first). Inputs are not modified.
 * A series already on the calendar is copied as it is (or reused, with `reuseInputs`).
 */
export function alignSeries(series: BarSeries[], opts: AlignOptions = {}): AlignedBars {
  const mode = opts.calendar ?? "union";
  const forward = (opts.fill ?? "forward") === "forward";
  const { cal, allSame } = calendarOf(series, mode);
  const n = cal.length;
  const out: AlignedBars = {
    symbols: series.map((s) => s.symbol),
    timestampsMs: cal,
    open: [],
    high: [],
    low: [],
    close: [],
    volume: [],
    present: [],
  };
  for (const s of series) {
    if (allSame || sameTimestamps(s.timestampsMs, cal)) {
      const take = opts.reuseInputs ? (a: Float64Array) => a : (a: Float64Array) => a.slice();
      out.open.push(take(s.open));
      out.high.push(take(s.high));
      out.low.push(take(s.low));
      out.close.push(take(s.close));
      out.volume.push(take(s.volume));
      out.present.push(new Uint8Array(n).fill(1));
      continue;
    }
    const o = new Float64Array(n).fill(Number.NaN),
      h = new Float64Array(n).fill(Number.NaN),
      l = new Float64Array(n).fill(Number.NaN);
    const c = new Float64Array(n).fill(Number.NaN),
      v = new Float64Array(n).fill(Number.NaN),
      p = new Uint8Array(n);
    const ts = s.timestampsMs;
    let j = 0;
    let last = Number.NaN;
    for (let i = 0; i < n; i++) {
      const t = cal[i];
      while (j < ts.length && ts[j] < t) j++;
      if (j < ts.length && ts[j] === t) {
        o[i] = s.open[j];
        h[i] = s.high[j];
        l[i] = s.low[j];
        c[i] = s.close[j];
        v[i] = s.volume[j];
        p[i] = 1;
        last = s.close[j];
        j++;
      } else if (forward && !Number.isNaN(last)) {
        o[i] = last;
        h[i] = last;
        l[i] = last;
        c[i] = last;
        v[i] = 0;
      }
    }
    out.open.push(o);
    out.high.push(h);
    out.low.push(l);
    out.close.push(c);
    out.volume.push(v);
    out.present.push(p);
  }
  return out;
}
