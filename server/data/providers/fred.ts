import "server-only";
/**
 * FRED macro series (off until FRED_API_KEY is set). Not a source of bars: a series is fetched
 * whole (every vintage, paged at 100,000 rows) and kept as it was known over time (see
 * lib/data/providers/fred.ts), so strategies can read it as an extra input. FRED takes its key
 * only in the query string; the transport appends it, so cache keys and logged URLs never hold it.
 */
import {
  FRED_PAGE_LIMIT,
  FRED_SERIES_ID,
  fredObservationsPath,
  macroSeriesFromRows,
  parseFredPage,
  ProviderResponseError,
  type FredRow,
  type MacroSeries,
} from "@/lib/data/providers";
import { env } from "@/lib/env";
import { guardedFetch, parseAllowList } from "@/server/http/outbound";
import { getJson, type FetchLike } from "./http";
import { Resilience, systemClock } from "./resilience";
import type { ProviderDeps } from "./types";

/** Pages read at most for one series (10 million vintage rows). */
const MAX_PAGES = 100;

export interface MacroProvider {
  readonly name: "fred";
  readonly resilience: Resilience;
  /** The series as known over time; throws ProviderResponseError / ProviderHttpError / ProviderUnavailableError. */
  fetchSeries(seriesId: string): Promise<MacroSeries>;
}

export function createFredProvider(opts: { apiKey: string; baseUrl?: string } & ProviderDeps): MacroProvider {
  const base = opts.baseUrl ?? "https://api.stlouisfed.org";
  const trusted = `${env().LAB_OUTBOUND_ALLOW},${new URL(base).hostname}`;
  const fetchImpl: FetchLike =
    opts.fetch ?? ((url, init) => guardedFetch(url, init, { allow: parseAllowList(trusted) }));
  const keyed: FetchLike = (url, init) => fetchImpl(`${url}&api_key=${encodeURIComponent(opts.apiKey)}`, init);
  const res = new Resilience("fred", opts.clock ?? systemClock, opts.resilience);
  return {
    name: "fred",
    resilience: res,
    async fetchSeries(seriesId: string): Promise<MacroSeries> {
      if (!FRED_SERIES_ID.test(seriesId))
        throw new ProviderResponseError(
          "fred",
          seriesId,
          "a FRED series id is upper-case letters, digits and _ (e.g. DGS10)",
        );
      const rows: FredRow[] = [];
      for (let page = 0; ; page++) {
        if (page >= MAX_PAGES) throw new ProviderResponseError("fred", seriesId, `more than ${MAX_PAGES} pages`);
        const parsed = parseFredPage(
          seriesId,
          await getJson(res, keyed, base + fredObservationsPath(seriesId, page * FRED_PAGE_LIMIT), {
            symbol: seriesId,
            timeoutMs: 60_000,
          }),
        );
        rows.push(...parsed.rows);
        if (parsed.rows.length < FRED_PAGE_LIMIT || rows.length >= parsed.count) break;
      }
      if (rows.length === 0) throw new ProviderResponseError("fred", seriesId, "the series has no observations");
      return macroSeriesFromRows(seriesId, rows);
    },
  };
}
