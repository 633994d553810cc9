/**
 * Bar files out and in: export one or many {@link BarSeries} as CSV or Parquet, and import a
 * Parquet file with the same all-or-nothing rules as a CSV import (./csv.ts): every problem is
 * collected (by row) and the file is refused if there is any.
 *
 * Exports round-trip exactly: CSV numbers are written in JavaScript's shortest round-trip form
 * and timestamps as dates (all bars at 00:00 UTC) or ISO times with milliseconds; Parquet keeps
 * the raw IEEE doubles and INT64 millisecond timestamps.
 * Columns: `[Symbol,]Date,Open,High,Low,Close,Volume` (CSV) and
 * `[symbol,]timestamp,open,high,low,close,volume` (Parquet); the symbol column is written when
 * asked (universe exports), one row per bar, symbols in the given order.
 */
import type { BarSeries } from "./bars";
import { MAX_LISTED_PROBLEMS, MAX_VOLUME, type CsvProblem } from "./csv";
import {
  ParquetFormatError,
  readParquet,
  writeParquet,
  type ParquetColumnIn,
  type ParquetColumnOut,
  type ReadParquetOptions,
} from "./parquet";

export type BarFileFormat = "csv" | "parquet";

const DAY_MS = 86_400_000;

function allMidnight(series: readonly BarSeries[]): boolean {
  return series.every((s) => s.timestampsMs.every((t) => t % DAY_MS === 0));
}

/** CSV text of the series (a trailing newline; `withSymbol` adds a leading Symbol column). */
export function barsToCsv(series: readonly BarSeries[], opts: { withSymbol?: boolean } = {}): string {
  const daily = allMidnight(series);
  const when = (t: number) => (daily ? new Date(t).toISOString().slice(0, 10) : new Date(t).toISOString());
  const lines = [`${opts.withSymbol ? "Symbol," : ""}Date,Open,High,Low,Close,Volume`];
  for (const s of series) {
    const lead = opts.withSymbol ? `${s.symbol},` : "";
    for (let i = 0; i < s.close.length; i++) {
      lines.push(
        `${lead}${when(s.timestampsMs[i])},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function concat(series: readonly BarSeries[], pick: (s: BarSeries) => Float64Array): Float64Array {
  const out = new Float64Array(series.reduce((n, s) => n + s.close.length, 0));
  let pos = 0;
  for (const s of series) {
    out.set(pick(s), pos);
    pos += s.close.length;
  }
  return out;
}

/** Parquet bytes of the series (deterministic). */
export function barsToParquet(series: readonly BarSeries[], opts: { withSymbol?: boolean } = {}): Uint8Array {
  const cols: ParquetColumnIn[] = [];
  if (opts.withSymbol)
    cols.push({
      name: "symbol",
      kind: "string",
      values: series.flatMap((s) => Array<string>(s.close.length).fill(s.symbol)),
    });
  cols.push(
    { name: "timestamp", kind: "timestamp-ms", values: concat(series, (s) => s.timestampsMs) },
    { name: "open", kind: "double", values: concat(series, (s) => s.open) },
    { name: "high", kind: "double", values: concat(series, (s) => s.high) },
    { name: "low", kind: "double", values: concat(series, (s) => s.low) },
    { name: "close", kind: "double", values: concat(series, (s) => s.close) },
    { name: "volume", kind: "double", values: concat(series, (s) => s.volume) },
  );
  return writeParquet(cols);
}

/** A refused Parquet file: the format problem, or every bad row (`line` is the 1-based row). */
export class ParquetImportError extends Error {
  readonly symbol: string;
  readonly problems: CsvProblem[];

  constructor(symbol: string, problems: CsvProblem[]) {
    const head = problems.slice(0, 5).map(formatRowProblem).join("; ");
    super(`${symbol}: ${problems.length} problem(s) in Parquet file: ${head}${problems.length > 5 ? "; …" : ""}`);
    this.name = "ParquetImportError";
    this.symbol = symbol;
    this.problems = problems;
  }
}

/** `row 12, column high: high 9 is below low 10` (row 0 is the file itself). */
export function formatRowProblem(p: CsvProblem): string {
  return `${p.line === 0 ? "file" : `row ${p.line}`}${p.column ? `, column ${p.column}` : ""}: ${p.message}`;
}

const TIME_NAMES = ["timestamp", "date", "datetime", "time"];
const KNOWN_FIELDS = new Set(["timestamp", "open", "high", "low", "close", "volume", "symbol"]);
/** The bar field a column name stands for (case and surrounding spaces ignored; date/time names are the timestamp). */
const fieldOf = (name: string) => {
  const key = name.trim().toLowerCase();
  return TIME_NAMES.includes(key) ? "timestamp" : key;
};

/** NaN at the column's null rows, so no later check reads a placeholder as a value. */
function markNulls(col: ParquetColumnOut, values: Float64Array): Float64Array {
  if (col.nulls) for (const r of col.nulls) values[r] = Number.NaN;
  return values;
}

function numbersOf(col: ParquetColumnOut): Float64Array | null {
  if (col.physical === "DOUBLE" || col.physical === "FLOAT") return markNulls(col, Float64Array.from(col.values));
  if (col.physical === "INT32") return markNulls(col, Float64Array.from(col.values));
  if (col.physical === "INT64")
    return markNulls(
      col,
      Float64Array.from(col.values, (v) => Number(v)),
    );
  return null;
}

function timestampsOf(col: ParquetColumnOut): Float64Array | string {
  if (col.physical === "INT64") {
    if (!col.timeUnit)
      return `column ${col.name} is INT64 without a timestamp unit; write it as TIMESTAMP(MILLIS|MICROS|NANOS)`;
    const per = col.timeUnit === "ms" ? 1n : col.timeUnit === "us" ? 1000n : 1_000_000n;
    return markNulls(
      col,
      Float64Array.from(col.values, (v) => Number(v / per) + Number(v % per) / Number(per)),
    );
  }
  if (col.physical === "INT32" && col.date)
    return markNulls(
      col,
      Float64Array.from(col.values, (d) => d * DAY_MS),
    );
  return `column ${col.name} is ${col.physical}; a timestamp column must be INT64 TIMESTAMP or INT32 DATE`;
}

/** Bars are dated within the years 0001–9999 (as a CSV date's four-digit year); anything else is a corrupt value. */
const EARLIEST_MS = Date.parse("0001-01-01T00:00:00Z");
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Parse a Parquet bar file for `symbol`. Columns are found by name (case-insensitive):
 * timestamp|date|datetime|time, open, high, low, close, optional volume (0 with a warning, as
 * for CSV), optional symbol (only the rows of `symbol` are kept). Row rules are the CSV rules:
 * prices positive and finite, low <= open, close <= high, 0 <= volume <= MAX_VOLUME,
 * timestamps strictly ascending; a null in any of these columns is a problem naming its row and
 * column. `decompressors` adds codecs beyond SNAPPY (see {@link ReadParquetOptions}).
 * @throws ParquetImportError listing every problem (nothing is returned on any problem).
 */
export function parseBarsParquet(
  bytes: Uint8Array,
  opts: { symbol: string } & ReadParquetOptions,
): { series: BarSeries; warnings: string[] } {
  const { symbol } = opts;
  let table: ReturnType<typeof readParquet>;
  try {
    // Only the bar columns are decoded: an extra column of a kind this reader cannot read is ignored, not fatal.
    table = readParquet(bytes, {
      decompressors: opts.decompressors,
      columns: (name) => KNOWN_FIELDS.has(fieldOf(name)),
    });
  } catch (err) {
    if (err instanceof ParquetFormatError) throw new ParquetImportError(symbol, [{ line: 0, message: err.message }]);
    throw err;
  }
  const warnings: string[] = [];
  const byName = new Map<string, ParquetColumnOut>();
  for (const c of table.columns) {
    const field = fieldOf(c.name);
    if (byName.has(field))
      throw new ParquetImportError(symbol, [
        {
          line: 0,
          column: c.name,
          message: `column ${c.name} names the same field as column ${byName.get(field)?.name}; remove or rename one so the file is not ambiguous`,
        },
      ]);
    byName.set(field, c);
  }
  const fileProblems: CsvProblem[] = [];
  const need = (field: string): Float64Array | null => {
    const c = byName.get(field);
    if (!c) {
      fileProblems.push({ line: 0, column: field, message: `missing required column ${field}` });
      return null;
    }
    if (field === "timestamp") {
      const t = timestampsOf(c);
      if (typeof t === "string") {
        fileProblems.push({ line: 0, column: c.name, message: t });
        return null;
      }
      return t;
    }
    const v = numbersOf(c);
    if (!v)
      fileProblems.push({
        line: 0,
        column: c.name,
        message: `column ${c.name} is ${c.physical}; prices and volume must be numbers`,
      });
    return v;
  };
  const t = need("timestamp"),
    o = need("open"),
    h = need("high"),
    l = need("low"),
    c = need("close");
  let v: Float64Array | null = null;
  if (byName.has("volume")) v = need("volume");
  else warnings.push("no volume column: volume set to 0");
  const symCol = byName.get("symbol");
  if (symCol && symCol.physical !== "BYTE_ARRAY")
    fileProblems.push({
      line: 0,
      column: symCol.name,
      message: `column ${symCol.name} is ${symCol.physical}; a symbol column must hold strings`,
    });
  const extra = table.skipped;
  if (extra.length > 0) warnings.push(`ignored column(s): ${extra.join(", ")}`);
  if (fileProblems.length > 0 || !t || !o || !h || !l || !c) throw new ParquetImportError(symbol, fileProblems);

  let rows = Array.from({ length: table.numRows }, (_, i) => i);
  if (symCol?.physical === "BYTE_ARRAY") {
    const names = symCol.values;
    rows = rows.filter((i) => names[i].trim().toUpperCase() === symbol);
    if (rows.length === 0) {
      const held = [...new Set(names)].slice(0, 10);
      throw new ParquetImportError(symbol, [
        {
          line: 0,
          column: symCol.name,
          message: `no rows for ${symbol}; the file holds ${held.length ? held.join(", ") : "no rows"}`,
        },
      ]);
    }
    if (rows.length < table.numRows) warnings.push(`kept the ${rows.length} rows of ${symbol} out of ${table.numRows}`);
  }

  const nullAt = new Map<string, Uint8Array>();
  for (const field of ["timestamp", "open", "high", "low", "close", "volume"]) {
    const col = byName.get(field);
    if (!col?.nulls) continue;
    const flags = new Uint8Array(table.numRows);
    for (const r of col.nulls) flags[r] = 1;
    nullAt.set(field, flags);
  }
  const isNull = (field: string, i: number) => nullAt.get(field)?.[i] === 1;
  const problems: CsvProblem[] = [];
  let prevTs = Number.NaN;
  let prevRow = 0;
  for (const i of rows) {
    const row = i + 1;
    if (problems.length >= MAX_LISTED_PROBLEMS) {
      problems.push({
        line: row,
        message: `stopped reading after ${MAX_LISTED_PROBLEMS} problems; fix these and import again`,
      });
      break;
    }
    const ts = t[i],
      open = o[i],
      high = h[i],
      low = l[i],
      close = c[i],
      volume = v ? v[i] : 0;
    if (isNull("timestamp", i))
      problems.push({ line: row, column: "timestamp", message: "timestamp is null (missing)" });
    else if (!Number.isFinite(ts)) problems.push({ line: row, column: "timestamp", message: `timestamp is ${ts}` });
    else if (ts < EARLIEST_MS || ts > LATEST_MS)
      problems.push({
        line: row,
        column: "timestamp",
        message: `timestamp ${ts} ms is outside the years 0001–9999 (a wrong unit or a corrupt value?)`,
      });
    for (const [col, p] of [
      ["open", open],
      ["high", high],
      ["low", low],
      ["close", close],
    ] as const) {
      if (isNull(col, i)) problems.push({ line: row, column: col, message: `${col} is null (missing)` });
      else if (!Number.isFinite(p))
        problems.push({ line: row, column: col, message: `missing or non-finite value: ${p}` });
      else if (p <= 0) problems.push({ line: row, column: col, message: `price ${p} is not positive` });
    }
    if (high < low) problems.push({ line: row, column: "high", message: `high ${high} is below low ${low}` });
    else {
      if (open > high || open < low)
        problems.push({ line: row, column: "open", message: `open ${open} is outside low..high (${low}..${high})` });
      if (close > high || close < low)
        problems.push({ line: row, column: "close", message: `close ${close} is outside low..high (${low}..${high})` });
    }
    if (isNull("volume", i)) problems.push({ line: row, column: "volume", message: "volume is null (missing)" });
    else if (!Number.isFinite(volume))
      problems.push({ line: row, column: "volume", message: `missing or non-finite value: ${volume}` });
    else if (volume < 0) problems.push({ line: row, column: "volume", message: `volume ${volume} is negative` });
    else if (volume > MAX_VOLUME)
      problems.push({
        line: row,
        column: "volume",
        message: `volume ${volume} is implausibly large (> ${MAX_VOLUME})`,
      });
    if (Number.isFinite(ts)) {
      if (ts === prevTs)
        problems.push({ line: row, column: "timestamp", message: `duplicate timestamp (same as row ${prevRow})` });
      else if (ts < prevTs)
        problems.push({
          line: row,
          column: "timestamp",
          message: `timestamp is earlier than row ${prevRow}; rows must be in ascending time order`,
        });
      prevTs = ts;
      prevRow = row;
    }
  }
  if (rows.length === 0) problems.push({ line: 0, message: "the file has no rows" });
  if (problems.length > 0) throw new ParquetImportError(symbol, problems);
  const pick = (a: Float64Array) =>
    rows.length === table.numRows ? Float64Array.from(a) : Float64Array.from(rows, (i) => a[i]);
  return {
    series: {
      symbol,
      timestampsMs: pick(t),
      open: pick(o),
      high: pick(h),
      low: pick(l),
      close: pick(c),
      volume: v ? pick(v) : new Float64Array(rows.length),
    },
    warnings,
  };
}
