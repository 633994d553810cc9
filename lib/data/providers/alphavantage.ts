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
  return typeof text === "string" && !("Time Series (Daily)" in body) ? text : null;
}

/** Daily rows within [fromMs, toMs] (dates as 00:00 UTC of the day). */
export function parseAlphaVantageDaily(symbol: string, body: unknown, fromMs: number, toMs: number): RawBar[] {
  if (!isRecord(body)) throw new ProviderResponseError("alphavantage", symbol, "response is not a JSON object");
  if (typeof body["Error Message"] === "string")
    throw new ProviderResponseError("alphavantage", symbol, body["Error Message"]);
  const limit = alphaVantageLimitMessage(body);
  if (limit !== null) throw new ProviderResponseError("alphavantage", symbol, `request limit reached: ${limit}`);
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
