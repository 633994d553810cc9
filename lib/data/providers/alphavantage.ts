/**
 * Alpha Vantage daily prices: `GET /query?function=TIME_SERIES_DAILY&symbol=S&outputsize=full&apikey=K`.
 * Body: `{ "Meta Data": { "2. Symbol", … }, "Time Series (Daily)": { "YYYY-MM-DD": { "1. open",
 * "2. high", "3. low", "4. close", "5. volume" } } }` with numbers as strings. Problems come back
 * with HTTP 200: `{ "Error Message": … }` (unknown symbol, bad call), or `{ "Information": … }` /
 * `{ "Note": … }` when the free tier's limit (25 requests a day) is used up.
 */
import { isRecord, ProviderResponseError, type RawBar } from "./common";

export function alphaVantageDailyPath(symbol: string): string {
  return `/query?function=TIME_SERIES_DAILY&symbol=${encodeURIComponent(symbol)}&outputsize=full&datatype=json`;
}

/** The free tier's limit message (Information / Note), if the body is one. */
export function alphaVantageLimitMessage(body: unknown): string | null {
  if (!isRecord(body)) return null;
  const text = body.Information ?? body.Note;
  return typeof text === "string" && !("Time Series (Daily)" in body) && !("Time Series FX (Daily)" in body)
    ? text
    : null;
}

/** Throws on the error answers every function shares: `Error Message`, and the limit's `Information` / `Note`. */
function checkBody(symbol: string, body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw new ProviderResponseError("alphavantage", symbol, "response is not a JSON object");
  if (typeof body["Error Message"] === "string")
    throw new ProviderResponseError("alphavantage", symbol, body["Error Message"]);
  const limit = alphaVantageLimitMessage(body);
  if (limit !== null) throw new ProviderResponseError("alphavantage", symbol, `request limit reached: ${limit}`);
  return body;
}

/** A number written as text; Alpha Vantage writes unknown values as "None", "-" or "". */
function numberText(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v !== "string" || !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim())) return Number.NaN;
  return Number(v);
}

function dayMs(text: unknown): number {
  return typeof text === "string" && /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
}

/** Daily rows within [fromMs, toMs] (dates as 00:00 UTC of the day). */
export function parseAlphaVantageDaily(symbol: string, raw: unknown, fromMs: number, toMs: number): RawBar[] {
  const body = checkBody(symbol, raw);
  const series = body["Time Series (Daily)"];
  if (!isRecord(series))
    throw new ProviderResponseError("alphavantage", symbol, 'no "Time Series (Daily)" in the response');
  const num = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? Number(v) : typeof v === "number" ? v : null);
  const rows: RawBar[] = [];
  for (const [day, bar] of Object.entries(series)) {
    const t = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
    if (!Number.isFinite(t) || !isRecord(bar))
      throw new ProviderResponseError("alphavantage", symbol, `unreadable day "${day}"`);
    if (t < fromMs || t > toMs) continue;
    rows.push({
      timestampMs: t,
      open: num(bar["1. open"]),
      high: num(bar["2. high"]),
      low: num(bar["3. low"]),
      close: num(bar["4. close"]),
      volume: num(bar["5. volume"]),
    });
  }
  return rows;
}

/** Company overview: `GET /query?function=OVERVIEW&symbol=S`. */
export function alphaVantageOverviewPath(symbol: string): string {
  return `/query?function=OVERVIEW&symbol=${encodeURIComponent(symbol)}`;
}

/** Earnings history: `GET /query?function=EARNINGS&symbol=S`. */
export function alphaVantageEarningsPath(symbol: string): string {
  return `/query?function=EARNINGS&symbol=${encodeURIComponent(symbol)}`;
}

/**
 * What the product takes from OVERVIEW (one flat object of strings: `Symbol`, `Sector`,
 * `LatestQuarter` "YYYY-MM-DD", `SharesOutstanding`, `RevenueTTM`, `BookValue` (per share), …).
 * Every figure is as of `LatestQuarter`; NaN where the provider writes "None" or "-".
 */
export interface AlphaVantageOverview {
  sector: string;
  latestQuarterMs: number;
  sharesOutstanding: number;
  revenueTtm: number;
  bookValuePerShare: number;
}

/** Parse OVERVIEW; an unknown symbol answers `{}`, which is an error naming it. */
export function parseAlphaVantageOverview(symbol: string, raw: unknown): AlphaVantageOverview {
  const body = checkBody(symbol, raw);
  if (typeof body.Symbol !== "string")
    throw new ProviderResponseError(
      "alphavantage",
      symbol,
      "no company overview for this symbol (OVERVIEW answered without Symbol)",
    );
  const sector =
    typeof body.Sector === "string" && !/^(none|-)?$/i.test(body.Sector.trim()) ? titleCase(body.Sector) : "";
  return {
    sector,
    latestQuarterMs: dayMs(body.LatestQuarter),
    sharesOutstanding: numberText(body.SharesOutstanding),
    revenueTtm: numberText(body.RevenueTTM),
    bookValuePerShare: numberText(body.BookValue),
  };
}

/** "HEALTH CARE" → "Health Care" (the sector spelling the demo universe and screens use). */
function titleCase(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** One reported quarter: when its period ended, when it was reported, and its EPS (NaN when "None"). */
export interface AlphaVantageQuarter {
  fiscalEndMs: number;
  reportedMs: number;
  eps: number;
}

/**
 * Parse EARNINGS: `{ symbol, annualEarnings: [...], quarterlyEarnings: [{ fiscalDateEnding,
 * reportedDate, reportedEPS, estimatedEPS, surprise, surprisePercentage, … }] }`, newest first.
 * Returns the quarters oldest first; a quarter without a readable report date is skipped.
 */
export function parseAlphaVantageEarnings(symbol: string, raw: unknown): AlphaVantageQuarter[] {
  const body = checkBody(symbol, raw);
  if (!Array.isArray(body.quarterlyEarnings))
    throw new ProviderResponseError("alphavantage", symbol, 'no "quarterlyEarnings" in the EARNINGS response');
  return body.quarterlyEarnings
    .filter(isRecord)
    .map((q) => ({
      fiscalEndMs: dayMs(q.fiscalDateEnding),
      reportedMs: dayMs(q.reportedDate),
      eps: numberText(q.reportedEPS),
    }))
    .filter((q) => Number.isFinite(q.reportedMs) && Number.isFinite(q.fiscalEndMs))
    .toSorted((a, b) => a.reportedMs - b.reportedMs);
}

function finiteOrNull(v: unknown): number | null {
  const x = numberText(v);
  return Number.isFinite(x) ? x : null;
}

function complete(r: RawBar): boolean {
  return [r.open, r.high, r.low, r.close].every((v) => typeof v === "number");
}

/** A currency pair symbol as this app stores it: six letters, base then quote ("EURUSD"). */
export const FX_PAIR = /^([A-Z]{3})([A-Z]{3})$/;

/** Daily FX rates: `GET /query?function=FX_DAILY&from_symbol=EUR&to_symbol=USD&outputsize=full`. */
export function alphaVantageFxDailyPath(pair: string): string {
  const m = FX_PAIR.exec(pair);
  if (!m)
    throw new ProviderResponseError("alphavantage", pair, "a currency pair is six letters, base then quote (EURUSD)");
  return `/query?function=FX_DAILY&from_symbol=${m[1]}&to_symbol=${m[2]}&outputsize=full&datatype=json`;
}

/**
 * Parse FX_DAILY: `{ "Meta Data": { "2. From Symbol", "3. To Symbol", …, "6. Time Zone": "UTC" },
 * "Time Series FX (Daily)": { "YYYY-MM-DD": { "1. open", "2. high", "3. low", "4. close" } } }`.
 * Currencies trade around the clock five days a week, from Sunday evening to Friday evening
 * (UTC). The few Sunday hours open Monday's trading day: a row dated on a Sunday is folded into
 * the Monday after it (Sunday's open, the higher high, the lower low, Monday's close), or left
 * out when that Monday is not in the answer; a row dated on a Saturday is left out. There is no
 * volume (0).
 */
export function parseAlphaVantageFxDaily(pair: string, raw: unknown, fromMs: number, toMs: number): RawBar[] {
  const body = checkBody(pair, raw);
  const series = body["Time Series FX (Daily)"];
  if (!isRecord(series))
    throw new ProviderResponseError("alphavantage", pair, 'no "Time Series FX (Daily)" in the response');
  const byDay = new Map<number, RawBar>();
  for (const [day, bar] of Object.entries(series)) {
    const t = dayMs(day);
    if (!Number.isFinite(t) || !isRecord(bar))
      throw new ProviderResponseError("alphavantage", pair, `unreadable day "${day}"`);
    const row = {
      timestampMs: t,
      open: finiteOrNull(bar["1. open"]),
      high: finiteOrNull(bar["2. high"]),
      low: finiteOrNull(bar["3. low"]),
      close: finiteOrNull(bar["4. close"]),
      volume: 0,
    };
    byDay.set(t, row);
  }
  const rows: RawBar[] = [];
  for (const [t, row] of byDay) {
    const weekday = new Date(t).getUTCDay();
    if (weekday === 0 || weekday === 6 || t < fromMs || t > toMs) continue;
    const sunday = weekday === 1 ? byDay.get(t - 86_400_000) : undefined;
    if (sunday && complete(sunday) && complete(row))
      rows.push({
        ...row,
        open: sunday.open,
        high: Math.max(sunday.high as number, row.high as number),
        low: Math.min(sunday.low as number, row.low as number),
      });
    else rows.push(row);
  }
  return rows;
}
