/**
 * FRED (Federal Reserve Economic Data) observations:
 * `GET /fred/series/observations?series_id=S&file_type=json&realtime_start=…&realtime_end=…&api_key=K`.
 * Body: `{ realtime_start, realtime_end, observation_start, observation_end, units, output_type,
 * file_type, order_by, sort_order, count, offset, limit, observations: [{ realtime_start,
 * realtime_end, date, value }] }`; `value` is text and "." marks a missing observation. Errors
 * come as `{ error_code, error_message }` (HTTP 400 for an unknown series).
 *
 * Asked for the whole real-time period, each observation appears once per vintage, and its
 * earliest `realtime_start` is the day it was first published. The product keeps what a trader
 * knew: for every publication day, the value of the newest observation published by then (as
 * first published). A strategy then sees a value only on bars after its publication day.
 */
import { isRecord, ProviderResponseError } from "./common";

/** FRED series ids: upper-case letters, digits and underscores (DGS10, T10Y2Y, CPIAUCSL). */
export const FRED_SERIES_ID = /^[A-Z0-9_]{1,40}$/;
/** Most observations FRED returns per request. */
export const FRED_PAGE_LIMIT = 100_000;

/** A series as it was known over time: ascending publication days (00:00 UTC) and the value known from then on. */
export interface MacroSeries {
  id: string;
  knownMs: Float64Array;
  values: Float64Array;
}

/** Path and query of one page of observations, every vintage included (the key is added by the transport). */
export function fredObservationsPath(seriesId: string, offset = 0): string {
  const q = new URLSearchParams({
    series_id: seriesId,
    file_type: "json",
    realtime_start: "1776-07-04",
    realtime_end: "9999-12-31",
    sort_order: "asc",
    limit: String(FRED_PAGE_LIMIT),
    offset: String(offset),
  });
  return `/fred/series/observations?${q.toString()}`;
}

/** One vintage row: observation date, publication day, value (NaN for "."). */
export interface FredRow {
  dateMs: number;
  publishedMs: number;
  value: number;
}

const day = (v: unknown) =>
  typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : Number.NaN;

/** One page: its rows and the total row count FRED reports. */
export function parseFredPage(seriesId: string, body: unknown): { rows: FredRow[]; count: number } {
  if (!isRecord(body)) throw new ProviderResponseError("fred", seriesId, "response is not a JSON object");
  if (typeof body.error_message === "string") throw new ProviderResponseError("fred", seriesId, body.error_message);
  if (!Array.isArray(body.observations))
    throw new ProviderResponseError("fred", seriesId, 'no "observations" array in the response');
  const rows = body.observations.map((o, i): FredRow => {
    if (!isRecord(o)) throw new ProviderResponseError("fred", seriesId, `observation ${i} is not an object`);
    const dateMs = day(o.date);
    const publishedMs = day(o.realtime_start);
    if (!Number.isFinite(dateMs) || !Number.isFinite(publishedMs))
      throw new ProviderResponseError("fred", seriesId, `observation ${i} has no readable date / realtime_start`);
    const text = typeof o.value === "string" ? o.value.trim() : "";
    const value = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isNaN(value) && text !== ".")
      throw new ProviderResponseError("fred", seriesId, `observation ${o.date as string} has value "${text}"`);
    return { dateMs, publishedMs, value };
  });
  const count = typeof body.count === "number" ? body.count : rows.length;
  return { rows, count };
}

/**
 * The series as known over time, from every vintage row: each observation's first publication
 * (a later revision is ignored: the strategy sees what was known then); missing values (".")
 * are left out; on each publication day the newest observation published by then wins.
 */
export function macroSeriesFromRows(seriesId: string, rows: FredRow[]): MacroSeries {
  const first = new Map<number, FredRow>();
  for (const r of rows) {
    const seen = first.get(r.dateMs);
    if (!seen || r.publishedMs < seen.publishedMs) first.set(r.dateMs, r);
  }
  const releases = [...first.values()]
    .filter((r) => Number.isFinite(r.value))
    .toSorted((a, b) => a.publishedMs - b.publishedMs || a.dateMs - b.dateMs);
  const knownMs: number[] = [];
  const values: number[] = [];
  let newest = Number.NEGATIVE_INFINITY;
  for (const r of releases) {
    if (r.dateMs < newest) continue;
    newest = r.dateMs;
    if (knownMs.length > 0 && knownMs[knownMs.length - 1] === r.publishedMs) values[values.length - 1] = r.value;
    else {
      knownMs.push(r.publishedMs);
      values.push(r.value);
    }
  }
  return { id: seriesId, knownMs: Float64Array.from(knownMs), values: Float64Array.from(values) };
}

/**
 * `series` on the bars' clock: bar i gets the value known before it, that is the last value
 * published on a day that ended at or before the bar's start (forward-filled, never looking
 * ahead); NaN before the first one.
 */
export function alignMacroSeries(series: MacroSeries, barTimestampsMs: Float64Array): Float64Array {
  const DAY = 86_400_000;
  const out = new Float64Array(barTimestampsMs.length).fill(Number.NaN);
  let k = -1;
  for (let i = 0; i < barTimestampsMs.length; i++) {
    while (k + 1 < series.knownMs.length && series.knownMs[k + 1] + DAY <= barTimestampsMs[i]) k++;
    if (k >= 0) out[i] = series.values[k];
  }
  return out;
}
