/**
 * Timestamp parsing for imported bars.
 *
 * Time-zone rule: a value with an explicit `Z` or `±HH:MM` offset is used as given. A naive
 * intraday value (`YYYY-MM-DD HH:MM[:SS]`) is wall-clock time in `timezone` (an IANA name,
 * resolved with Intl) or UTC when no timezone is given. A date-only value (`YYYY-MM-DD`) is
 * a calendar day and always maps to 00:00 UTC of that day, whatever the timezone, so daily
 * bars line up across sources. Plain integers are Unix time: 9–10 digits seconds,
 * 12–13 digits milliseconds.
 */

const DATE_TIME =
  /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** The result of parsing one timestamp cell. */
export type ParsedTimestamp =
  { ok: true; ms: number; intraday: boolean; unixUnit?: "s" | "ms" } | { ok: false; message: string };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (east positive). */
export function timeZoneOffsetMs(timeZone: string, utcMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** UTC milliseconds of a wall-clock time (given as if UTC) in `timeZone`. Gaps resolve forward. */
export function zonedWallTimeToUtc(wallAsUtcMs: number, timeZone: string): number {
  const first = wallAsUtcMs - timeZoneOffsetMs(timeZone, wallAsUtcMs);
  const second = wallAsUtcMs - timeZoneOffsetMs(timeZone, first);
  return first === second ? first : Math.max(first, second);
}

/** A cell as quoted in a message, cut when long. */
const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** Parse one timestamp cell per the module's time-zone rule. */
export function parseTimestamp(raw: string, timeZone?: string): ParsedTimestamp {
  const text = raw.trim();
  if (text === "") return { ok: false, message: "empty timestamp" };
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (text.length >= 9 && text.length <= 10) return { ok: true, ms: n * 1000, intraday: true, unixUnit: "s" };
    if (text.length >= 12 && text.length <= 13) return { ok: true, ms: n, intraday: true, unixUnit: "ms" };
    return { ok: false, message: `${quote(text)} is not a date or a Unix time in seconds or milliseconds` };
  }
  const m = DATE_TIME.exec(text);
  if (!m) return { ok: false, message: `${quote(text)} is not a recognised date (YYYY-MM-DD[ HH:MM[:SS]][Z|±HH:MM])` };
  const [, y, mo, d, hh, mi, ss, frac, zone] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d);
  const hour = hh ? Number(hh) : 0,
    minute = mi ? Number(mi) : 0,
    second = ss ? Number(ss) : 0;
  const millis = frac ? Number(frac.padEnd(3, "0")) : 0;
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC reads years 0–99 as 1900–1999; set the year as written.
  if (year < 100) check.setUTCFullYear(year, month - 1, day);
  const wall = check.getTime();
  if (month < 1 || month > 12 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `"${text}" is not a valid calendar date/time` };
  }
  if (!hh) return { ok: true, ms: wall, intraday: false };
  if (zone) {
    if (zone.toUpperCase() === "Z") return { ok: true, ms: wall, intraday: true };
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    return { ok: true, ms: wall - sign * offMin * 60_000, intraday: true };
  }
  if (!timeZone || timeZone === "UTC") return { ok: true, ms: wall, intraday: true };
  return { ok: true, ms: zonedWallTimeToUtc(wall, timeZone), intraday: true };
}
