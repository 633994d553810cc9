/**
 * CSV import of OHLCV bars: header detection, Yahoo-style exports and generic files.
 * All-or-nothing: every problem in the file is collected with its line number and the
 * import fails with {@link CsvImportError} if there is any. Timestamps follow the rule in
 * ./timestamps.ts (naive intraday values are read in `opts.timezone`, else UTC; date-only
 * values are 00:00 UTC of that day).
 */
import type { BarSeries } from "./bars";
import { isValidTimeZone, parseTimestamp } from "./timestamps";

/** One problem in an imported file. `line` is 1-based as shown in an editor (the header is line 1). */
export interface CsvProblem {
  line: number;
  column?: string;
  message: string;
}

/**
 * A rejected file lists at most this many problems (then one saying it stopped): a file of
 * garbage lines would otherwise answer with millions of them.
 */
export const MAX_LISTED_PROBLEMS = 1000;

/** A cell as quoted in a problem: long ones are cut (a 1 MB cell is not echoed back whole). */
export function quoteCell(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** A rejected file; `problems` lists the problems found, in line order (at most MAX_LISTED_PROBLEMS + 1). */
export class CsvImportError extends Error {
  readonly symbol: string;
  readonly problems: CsvProblem[];

  constructor(symbol: string, problems: CsvProblem[]) {
    const head = problems.slice(0, 5).map(formatProblem).join("; ");
    super(`${symbol}: ${problems.length} problem(s) in CSV file: ${head}${problems.length > 5 ? "; …" : ""}`);
    this.name = "CsvImportError";
    this.symbol = symbol;
    this.problems = problems;
  }
}

/** `line 12, column High: high 9 is below low 10`. */
export function formatProblem(p: CsvProblem): string {
  return `line ${p.line}${p.column ? `, column ${p.column}` : ""}: ${p.message}`;
}

/** Options of {@link parseBarsCsv}. */
export interface ParseBarsCsvOptions {
  symbol: string;
  /** IANA zone for naive intraday timestamps (default UTC). */
  timezone?: string;
  /**
   * The file has no header row: read its columns as Date,Open,High,Low,Close[,Volume], in that
   * order. Without it a file with no header is refused, so a file whose columns are in another
   * order is never read wrong.
   */
  noHeader?: boolean;
}

/** Volumes above this are treated as corrupt (no exchange trades 10 trillion units of one thing a bar). */
export const MAX_VOLUME = 1e13;

type Field = "date" | "open" | "high" | "low" | "close" | "adjClose" | "volume";
const FIELD_NAMES: Record<string, Field> = {
  date: "date",
  datetime: "date",
  time: "date",
  timestamp: "date",
  "": "date",
  open: "open",
  high: "high",
  low: "low",
  close: "close",
  volume: "volume",
  vol: "volume",
  "adj close": "adjClose",
  adj_close: "adjClose",
  adjclose: "adjClose",
  "adjusted close": "adjClose",
};
const REQUIRED: Field[] = ["date", "open", "high", "low", "close"];
const LABEL: Record<Field, string> = {
  date: "Date",
  open: "Open",
  high: "High",
  low: "Low",
  close: "Close",
  adjClose: "Adj Close",
  volume: "Volume",
};

function splitRow(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const cells: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cur);
      cur = "";
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

/** Header cells mapped to fields, and the cells naming a field an earlier cell already named. */
function headerMap(
  cells: string[],
): { map: Map<Field, number>; repeated: { name: string; first: number; again: number }[] } | null {
  const map = new Map<Field, number>();
  const repeated: { name: string; first: number; again: number }[] = [];
  let known = 0;
  cells.forEach((cell, idx) => {
    const key = cell.trim().toLowerCase();
    const field = FIELD_NAMES[key];
    if (!field || (key === "" && idx !== 0)) return;
    const seen = map.get(field);
    if (seen !== undefined) {
      if (key !== "") repeated.push({ name: cell.trim(), first: seen, again: idx });
      return;
    }
    map.set(field, idx);
    if (key !== "") known++;
  });
  return known >= 2 ? { map, repeated } : null;
}

const NO_HEADER_ORDER = "Date,Open,High,Low,Close[,Volume]";

function parseNumber(raw: string | undefined, column: string, line: number, problems: CsvProblem[]): number {
  const text = (raw ?? "").trim();
  if (text === "") {
    problems.push({ line, column, message: "empty value" });
    return Number.NaN;
  }
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n)) {
    const what = /^(nan|null|n\/a|na|-|inf|-?infinity)$/i.test(text) ? "missing or non-finite value" : "not a number";
    problems.push({ line, column, message: `${what}: ${quoteCell(text)}` });
    return Number.NaN;
  }
  if (Math.abs(n) > Number.MAX_VALUE)
    problems.push({ line, column, message: `value out of range: ${quoteCell(text)}` });
  return n;
}

/**
 * Parse a CSV file of bars into a {@link BarSeries}.
 * Recognised headers (case-insensitive): Date/Datetime/Time/Timestamp, Open, High, Low, Close,
 * Adj Close, Volume; other columns are ignored (with a warning). Two columns naming the same
 * field (`Close,Close`, `Date,Timestamp`) are refused as ambiguous. A file without a header row
 * is refused unless `noHeader` says so; then it is read as Date,Open,High,Low,Close[,Volume].
 * Unix times must use one unit (seconds or milliseconds) throughout. A missing Volume column gives volume 0 with a
 * warning. BOM, CRLF, blank lines and quoted cells are tolerated. Adj Close is validated but
 * the series keeps the raw traded prices.
 * @throws CsvImportError listing every problem by line.
 */
export function parseBarsCsv(text: string, opts: ParseBarsCsvOptions): { series: BarSeries; warnings: string[] } {
  const { symbol, timezone } = opts;
  const problems: CsvProblem[] = [];
  const warnings: string[] = [];
  if (timezone !== undefined && !isValidTimeZone(timezone)) {
    throw new CsvImportError(symbol, [
      { line: 0, message: `unknown time zone "${timezone}"; use an IANA name like America/New_York` },
    ]);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r\n|\n|\r/);
  let first = 0;
  while (first < lines.length && lines[first].trim() === "") first++;
  if (first >= lines.length) throw new CsvImportError(symbol, [{ line: 1, message: "the file is empty" }]);

  const headerCells = splitRow(lines[first]);
  const header = opts.noHeader ? null : headerMap(headerCells);
  let cols: Map<Field, number>;
  let dataStart = first + 1;
  if (opts.noHeader) {
    if (headerCells.length < 5)
      throw new CsvImportError(symbol, [
        { line: first + 1, message: `expected at least 5 columns (${NO_HEADER_ORDER}), found ${headerCells.length}` },
      ]);
    cols = new Map<Field, number>([
      ["date", 0],
      ["open", 1],
      ["high", 2],
      ["low", 3],
      ["close", 4],
    ]);
    if (headerCells.length >= 6) cols.set("volume", 5);
    dataStart = first;
    warnings.push(
      `no header row (as requested): columns read as ${headerCells.length >= 6 ? "Date,Open,High,Low,Close,Volume" : "Date,Open,High,Low,Close"}`,
    );
  } else if (!header) {
    const looksLikeData = parseTimestamp(headerCells[0] ?? "", timezone).ok && headerCells.length >= 5;
    const message = looksLikeData
      ? `no header row: the first line is data. Add a header naming the columns (Date,Open,High,Low,Close,Volume), or import with the no-header option (--no-header, no_header=true, or the import form's checkbox) to read them as ${NO_HEADER_ORDER} in that order`
      : `no recognisable header (expected Date,Open,High,Low,Close[,Volume]); got "${lines[first].slice(0, 80)}"`;
    throw new CsvImportError(symbol, [{ line: first + 1, message }]);
  } else {
    cols = header.map;
    if (header.repeated.length > 0) {
      throw new CsvImportError(
        symbol,
        header.repeated.map((r) => ({
          line: first + 1,
          column: r.name,
          message: `column ${r.name} (column ${r.again + 1}) names the same field as column ${r.first + 1} (${headerCells[r.first].trim() || "Date"}); remove or rename one so the file is not ambiguous`,
        })),
      );
    }
    const missing = REQUIRED.filter((f) => !cols?.has(f));
    if (missing.length > 0) {
      throw new CsvImportError(
        symbol,
        missing.map((f) => ({ line: first + 1, column: LABEL[f], message: `missing required column ${LABEL[f]}` })),
      );
    }
    if (!cols.has("volume")) warnings.push("no Volume column: volume set to 0");
    const used = new Set(cols.values());
    const extra = headerCells.filter((_, i) => !used.has(i)).map((c) => c.trim());
    if (extra.length > 0) warnings.push(`ignored column(s): ${extra.join(", ")}`);
  }
  const need = Math.max(...cols.values()) + 1;
  const idx = (f: Field) => cols.get(f) ?? -1;
  let unixUnit: { unit: "s" | "ms"; line: number } | null = null;

  const t: number[] = [],
    o: number[] = [],
    h: number[] = [],
    l: number[] = [],
    c: number[] = [],
    v: number[] = [];
  let prevTs = Number.NaN;
  let prevLine = 0;
  let intraday = false;
  for (let li = dataStart; li < lines.length; li++) {
    const raw = lines[li];
    if (raw.trim() === "") continue;
    const line = li + 1;
    if (problems.length >= MAX_LISTED_PROBLEMS) {
      problems.push({
        line,
        message: `stopped reading after ${MAX_LISTED_PROBLEMS} problems; fix these and import again`,
      });
      break;
    }
    const cells = splitRow(raw);
    if (cells.length < need) {
      problems.push({ line, message: `expected at least ${need} columns, found ${cells.length}` });
      continue;
    }
    const before = problems.length;
    const ts = parseTimestamp(cells[idx("date")], timezone);
    if (!ts.ok) problems.push({ line, column: "Date", message: ts.message });
    const open = parseNumber(cells[idx("open")], "Open", line, problems);
    const high = parseNumber(cells[idx("high")], "High", line, problems);
    const low = parseNumber(cells[idx("low")], "Low", line, problems);
    const close = parseNumber(cells[idx("close")], "Close", line, problems);
    const volume = cols.has("volume") ? parseNumber(cells[idx("volume")], "Volume", line, problems) : 0;
    if (cols.has("adjClose")) {
      const adj = parseNumber(cells[idx("adjClose")], "Adj Close", line, problems);
      if (adj <= 0) problems.push({ line, column: "Adj Close", message: `adjusted close ${adj} is not positive` });
    }
    for (const [col, p] of [
      ["Open", open],
      ["High", high],
      ["Low", low],
      ["Close", close],
    ] as const) {
      if (p <= 0) problems.push({ line, column: col, message: `price ${p} is not positive` });
    }
    if (high < low) problems.push({ line, column: "High", message: `high ${high} is below low ${low}` });
    else {
      if (open > high || open < low)
        problems.push({ line, column: "Open", message: `open ${open} is outside low..high (${low}..${high})` });
      if (close > high || close < low)
        problems.push({ line, column: "Close", message: `close ${close} is outside low..high (${low}..${high})` });
    }
    if (volume < 0) problems.push({ line, column: "Volume", message: `volume ${volume} is negative` });
    else if (volume > MAX_VOLUME)
      problems.push({ line, column: "Volume", message: `volume ${volume} is implausibly large (> ${MAX_VOLUME})` });
    if (ts.ok && ts.unixUnit) {
      if (!unixUnit) unixUnit = { unit: ts.unixUnit, line };
      else if (unixUnit.unit !== ts.unixUnit) {
        const name = (u: "s" | "ms") => (u === "s" ? "seconds" : "milliseconds");
        problems.push({
          line,
          column: "Date",
          message: `Unix time in ${name(ts.unixUnit)}, but line ${unixUnit.line} is in ${name(unixUnit.unit)}; use one unit for the whole column`,
        });
      }
    }
    if (ts.ok) {
      if (ts.intraday) intraday = true;
      if (ts.ms === prevTs)
        problems.push({ line, column: "Date", message: `duplicate timestamp (same as line ${prevLine})` });
      else if (ts.ms < prevTs)
        problems.push({
          line,
          column: "Date",
          message: `timestamp is earlier than line ${prevLine}; rows must be in ascending time order`,
        });
      prevTs = ts.ms;
      prevLine = line;
    }
    if (problems.length > before) continue;
    t.push(ts.ok ? ts.ms : Number.NaN);
    o.push(open);
    h.push(high);
    l.push(low);
    c.push(close);
    v.push(volume);
  }
  if (problems.length === 0 && t.length === 0)
    problems.push({ line: dataStart + 1, message: "the file has a header but no data rows" });
  if (problems.length > 0) throw new CsvImportError(symbol, problems);
  if (intraday && !timezone) warnings.push("intraday timestamps without an offset were read as UTC");
  const f = (a: number[]) => Float64Array.from(a);
  return {
    series: { symbol, timestampsMs: f(t), open: f(o), high: f(h), low: f(l), close: f(c), volume: f(v) },
    warnings,
  };
}
