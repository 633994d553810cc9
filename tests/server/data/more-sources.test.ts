/**
 * The sources beyond bars-by-key (issue 20, "more sources"), against fixtures in each provider's
 * documented shape (tests/fixtures/providers): Alpha Vantage fundamentals (OVERVIEW + EARNINGS)
 * per bar without looking ahead, its free-tier limit answers; Alpha Vantage FX_DAILY on the 24/5
 * calendar, checked against the hourly EURUSD.csv rows it summarises; FRED observations with
 * missing values and revisions; and ccxt itself (the real package, Binance) with its HTTP answered
 * from recorded Binance klines, checked against the CSV importer on BTCUSD.csv. Every source is
 * off until its variable is set, and a missing one is named.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBarsCsv } from "@/lib/data/csv";
import { alignMacroSeries } from "@/lib/data/providers";
import { env, resetEnvCache } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { pickProvider } from "@/server/data/hydrate";
import { sourceStatuses } from "@/server/data/sources";
import {
  ccxtExchange,
  configuredMacroProvider,
  configuredProviders,
  createAlphaVantageProviders,
  createCcxtProvider,
  createFredProvider,
  ProviderUnavailableError,
  type CcxtHttp,
  type FetchLike,
} from "@/server/data/providers";

const fixture = (name: string) => readFileSync(`tests/fixtures/providers/${name}`, "utf8");
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
/** Fast retries, no spacing, no cache: what each test needs to see every attempt. */
const QUICK = {
  bucketCapacity: 100,
  refillPerSecond: 100,
  cacheTtlMs: 0,
  maxAttempts: 2,
  baseDelayMs: 1,
  maxDelayMs: 2,
};

/** Alpha Vantage answers by `function`, recording each URL. */
function alphaVantage(answers: Record<string, () => Response>) {
  const urls: string[] = [];
  const fetchImpl: FetchLike = async (url) => {
    urls.push(url);
    const fn = new URL(url).searchParams.get("function") ?? "";
    const answer = answers[fn];
    if (!answer) throw new Error(`unexpected request ${url}`);
    return answer();
  };
  return { urls, fetchImpl };
}
const json = (name: string) => () => new Response(fixture(name));

function withEnv(vars: Record<string, string | undefined>, fn: () => void) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  try {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
    fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  }
}

describe("Alpha Vantage fundamentals", () => {
  const RANGE = { fromMs: day("2024-01-01"), toMs: day("2024-12-31"), interval: "1d" as const };

  it("turns OVERVIEW + EARNINGS into per-bar values, each from the bar after it was published", async () => {
    const { urls, fetchImpl } = alphaVantage({
      TIME_SERIES_DAILY: json("alphavantage-daily-ibm.json"),
      OVERVIEW: json("alphavantage-overview-ibm.json"),
      EARNINGS: json("alphavantage-earnings-ibm.json"),
    });
    const { stocks } = createAlphaVantageProviders({ apiKey: "SECRET", fetch: fetchImpl, resilience: QUICK });
    const bars = await stocks.fetchBars("IBM", RANGE);
    expect(Array.from(bars.timestampsMs)).toEqual(
      ["2024-04-23", "2024-04-24", "2024-04-25", "2024-07-24", "2024-07-25", "2024-07-26"].map(day),
    );
    const f = await stocks.fetchFundamentals!("IBM", bars);
    expect(f.sector).toBe("Technology");
    // Quarterly reportedEPS (EARNINGS fixture): 2023-04-19 "None", 07-19 2.18, 10-25 2.20, 2024-01-24 3.87,
    // 04-24 1.68, 07-24 2.43. TTM = the last four published before the bar.
    const ttmApril = 2.18 + 2.2 + 3.87 + 1.68;
    const ttmJuly = 2.2 + 3.87 + 1.68 + 2.43;
    const eps = [NaN, NaN, ttmApril, ttmApril, ttmJuly, ttmJuly];
    eps.forEach((want, i) => {
      if (Number.isNaN(want)) expect(f.eps[i], `eps ${i}: a missing quarter in the window`).toBeNaN();
      else expect(f.eps[i], `eps ${i}`).toBeCloseTo(want, 10);
    });
    const closes = [182.19, 184.1, 168.91, 185.3, 191.98, 191.75];
    expect(f.pe[2]).toBeCloseTo(168.91 / ttmApril, 10);
    expect(f.pe[3], "the report day's own bar does not see that day's report").toBeCloseTo(185.3 / ttmApril, 10);
    expect(f.pe[4]).toBeCloseTo(191.98 / ttmJuly, 10);
    // OVERVIEW's figures are as of LatestQuarter 2024-06-30, reported 2024-07-24: from 07-25 on.
    for (let i = 0; i < 4; i++) {
      expect(f.marketCap[i]).toBeNaN();
      expect(f.revenue[i]).toBeNaN();
      expect(f.pb[i]).toBeNaN();
    }
    for (const i of [4, 5]) {
      expect(f.marketCap[i]).toBeCloseTo(closes[i] * 922_000_000, 0);
      expect(f.revenue[i]).toBe(62_363_000_000);
      expect(f.pb[i]).toBeCloseTo(closes[i] / 25.99, 10);
    }
    expect(Array.from(f.debtToEquity).every(Number.isNaN), "not published by these endpoints").toBe(true);
    // Three requests (bars, OVERVIEW, EARNINGS); the key is appended by the transport only.
    expect(urls.map((u) => new URL(u).searchParams.get("function"))).toEqual([
      "TIME_SERIES_DAILY",
      "OVERVIEW",
      "EARNINGS",
    ]);
    expect(urls.every((u) => u.endsWith("&apikey=SECRET"))).toBe(true);
  });

  it("a limit answer (HTTP 200 with Note or Information) fails at once with its text; garbage and 429 fail with the reason", async () => {
    const bars = await createAlphaVantageProviders({
      apiKey: "k",
      fetch: alphaVantage({ TIME_SERIES_DAILY: json("alphavantage-daily-ibm.json") }).fetchImpl,
      resilience: QUICK,
    }).stocks.fetchBars("IBM", RANGE);
    const run = (answers: Record<string, () => Response>) => {
      const a = alphaVantage(answers);
      const { stocks } = createAlphaVantageProviders({ apiKey: "k", fetch: a.fetchImpl, resilience: QUICK });
      return { urls: a.urls, result: stocks.fetchFundamentals!("IBM", bars) };
    };
    const note = run({ OVERVIEW: json("alphavantage-note.json") });
    await expect(note.result).rejects.toThrow(/IBM: request limit reached: .*5 calls per minute and 25 calls per day/);
    expect(note.urls, "not retried").toHaveLength(1);
    const info = run({ OVERVIEW: json("alphavantage-overview-ibm.json"), EARNINGS: json("alphavantage-limit.json") });
    await expect(info.result).rejects.toThrow(/request limit reached: .*25 requests per day/);
    const unknown = run({ OVERVIEW: () => Response.json({}) });
    await expect(unknown.result).rejects.toThrow(/no company overview for this symbol/);
    const garbage = run({ OVERVIEW: () => new Response("<!DOCTYPE html><html>maintenance</html>") });
    await expect(garbage.result).rejects.toThrow(/response is not JSON \(starts with "<!DOCTYPE html>/);
    const noQuarters = run({
      OVERVIEW: json("alphavantage-overview-ibm.json"),
      EARNINGS: () => Response.json({ symbol: "IBM" }),
    });
    await expect(noQuarters.result).rejects.toThrow(/no "quarterlyEarnings"/);
    const throttled = run({ OVERVIEW: () => new Response("Too Many Requests", { status: 429 }) });
    const err = await throttled.result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(String(err)).toMatch(/HTTP 429.*gave up after 2 attempts/);
    expect(throttled.urls, "429 is retried").toHaveLength(2);
  });
});

describe("Alpha Vantage currency pairs (alphavantage-fx)", () => {
  it("reads FX_DAILY on the 24/5 calendar: Sunday's hours open Monday, no volume", async () => {
    const { urls, fetchImpl } = alphaVantage({ FX_DAILY: json("alphavantage-fx-daily-eurusd.json") });
    const { fx } = createAlphaVantageProviders({ apiKey: "k", fetch: fetchImpl, resilience: QUICK });
    expect(fx.name).toBe("alphavantage-fx");
    const s = await fx.fetchBars("EURUSD", { fromMs: day("2017-04-01"), toMs: day("2017-05-01"), interval: "1d" });
    expect(new URL(urls[0]).searchParams.get("from_symbol")).toBe("EUR");
    expect(new URL(urls[0]).searchParams.get("to_symbol")).toBe("USD");
    expect(Array.from(s.timestampsMs)).toEqual(
      ["2017-04-19", "2017-04-20", "2017-04-21", "2017-04-24", "2017-04-25", "2017-04-26", "2017-04-27"].map(day),
    );
    expect(Array.from(s.volume).every((v) => v === 0)).toBe(true);
    // Checked against EURUSD.csv's hourly rows: Friday 2017-04-21 last close 1.07268 (20:00);
    // Sunday 04-23 21:00–23:00 opens at 1.0893 (high 1.09063); Monday 04-24: low 1.08209, last close 1.0865.
    const i = (iso: string) => Array.from(s.timestampsMs).indexOf(day(iso));
    expect(s.close[i("2017-04-21")]).toBe(1.07268);
    expect([s.open, s.high, s.low, s.close].map((c) => c[i("2017-04-24")])).toEqual([1.0893, 1.09063, 1.08209, 1.0865]);
    // The shape of ../shared/data/EURUSD.csv: its rows read by the CSV importer are OHLCV bars like these.
    const csv = readFileSync("../shared/data/EURUSD.csv", "utf8").split("\n");
    expect(csv[0]).toBe("Date,Open,High,Low,Close,Volume");
    const hourly = parseBarsCsv(csv.slice(0, 16).join("\n"), { symbol: "EURUSD" }).series;
    expect(s.open[0]).toBe(hourly.open[0]);
    expect(s.close[0]).toBe(hourly.close[hourly.close.length - 1]);
    await expect(
      fx.fetchBars("EUR-USD", { fromMs: day("2017-04-01"), toMs: day("2017-05-01"), interval: "1d" }),
    ).rejects.toThrow(/six letters, base then quote \(EURUSD\)/);
  });
});

describe("FRED macro series", () => {
  it("keeps each observation's first publication, skips missing values, and aligns without looking ahead", async () => {
    const urls: string[] = [];
    const fred = createFredProvider({
      apiKey: "FREDKEY",
      fetch: async (url) => (urls.push(url), new Response(fixture("fred-observations-dgs10.json"))),
      resilience: QUICK,
    });
    const s = await fred.fetchSeries("DGS10");
    const q = new URL(urls[0]).searchParams;
    expect(new URL(urls[0]).pathname).toBe("/fred/series/observations");
    expect([q.get("series_id"), q.get("file_type"), q.get("realtime_start"), q.get("realtime_end")]).toEqual([
      "DGS10",
      "json",
      "1776-07-04",
      "9999-12-31",
    ]);
    expect(urls[0].endsWith("&api_key=FREDKEY")).toBe(true);
    // Fixture: 2024-01-01 "." (holiday); 01-08 first published 4.01 on 01-09, revised to 4.03 on 01-10.
    expect(Array.from(s.knownMs)).toEqual(
      ["2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10"].map(day),
    );
    expect(Array.from(s.values)).toEqual([3.95, 3.91, 3.99, 4.05, 4.01, 4.02]);
    const bars = Float64Array.from(
      [
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
        "2024-01-05",
        "2024-01-08",
        "2024-01-09",
        "2024-01-10",
        "2024-01-11",
      ].map(day),
    );
    expect(Array.from(alignMacroSeries(s, bars))).toEqual([NaN, NaN, 3.95, 3.91, 3.99, 4.05, 4.01, 4.02]);
  });

  it("an unknown series, garbage and 429 fail with the reason; FRED_API_KEY turns it on", async () => {
    const answer = (r: () => Response) => {
      let calls = 0;
      const fred = createFredProvider({ apiKey: "k", fetch: async () => (calls++, r()), resilience: QUICK });
      return { calls: () => calls, fred };
    };
    await expect(
      answer(() => new Response(fixture("fred-error-unknown-series.json"), { status: 400 })).fred.fetchSeries("NOPE"),
    ).rejects.toThrow(/fred: HTTP 400: Bad Request\. {2}The series does not exist\./);
    await expect(answer(() => new Response("<html>")).fred.fetchSeries("DGS10")).rejects.toThrow(/not JSON/);
    await expect(
      answer(() =>
        Response.json({ observations: [{ date: "2024-01-02", realtime_start: "2024-01-03", value: "n/a" }] }),
      ).fred.fetchSeries("DGS10"),
    ).rejects.toThrow(/observation 2024-01-02 has value "n\/a"/);
    const limited = answer(
      () => new Response('{"error_code":429,"error_message":"Too Many Requests."}', { status: 429 }),
    );
    await expect(limited.fred.fetchSeries("DGS10")).rejects.toThrow(/Too Many Requests.*gave up after 2 attempts/);
    expect(limited.calls()).toBe(2);
    await expect(answer(() => Response.json({})).fred.fetchSeries("dgs10")).rejects.toThrow(/upper-case/);

    expect(configuredMacroProvider({})).toBeNull();
    expect(configuredMacroProvider({ FRED_API_KEY: "k" })?.name).toBe("fred");
    expect(() => pickProvider([], "fred")).toThrow(
      new AppError(
        "INVALID_INPUT",
        "FRED series are macro inputs, not bars: load them with `npm run lab -- data hydrate --provider fred --symbols DGS10,…` (needs FRED_API_KEY).",
      ),
    );
  });
});

describe("ccxt (the real package) with Binance's HTTP answered from recorded responses", () => {
  const klines = JSON.parse(fixture("binance-klines-btcusdt-1d.json")) as unknown[][];
  /** Binance's documented semantics: `startTime` inclusive, at most `limit` rows, ascending. */
  function binance(requests: string[], override?: (url: URL) => Response | null): CcxtHttp {
    return async (raw) => {
      requests.push(raw);
      const url = new URL(raw);
      const special = override?.(url);
      if (special) return special;
      if (url.pathname === "/api/v3/exchangeInfo") return new Response(fixture("binance-exchange-info-spot.json"));
      if (url.pathname.endsWith("/exchangeInfo"))
        return Response.json({ timezone: "UTC", serverTime: 0, rateLimits: [], exchangeFilters: [], symbols: [] });
      if (url.pathname === "/api/v3/klines") {
        const start = Number(url.searchParams.get("startTime") ?? 0);
        const limit = Number(url.searchParams.get("limit") ?? 500);
        return Response.json(klines.filter((k) => (k[0] as number) >= start).slice(0, limit));
      }
      return Response.json({ code: -1121, msg: "Invalid symbol." }, { status: 400 });
    };
  }
  const RANGE = { fromMs: day("2012-01-01"), toMs: day("2013-01-01"), interval: "1d" as const };

  it("pages Binance klines through ccxt into the same bars as the CSV importer reads from BTCUSD.csv", async () => {
    const requests: string[] = [];
    const p = createCcxtProvider(ccxtExchange("binance", { http: binance(requests) }), {
      pageSize: 5,
      resilience: QUICK,
    });
    expect(p.name).toBe("ccxt:binance");
    const got = await p.fetchBars("BTC/USDT", RANGE);
    const want = parseBarsCsv(readFileSync("../shared/data/BTCUSD.csv", "utf8").split("\n").slice(0, 13).join("\n"), {
      symbol: "BTC/USDT",
    }).series;
    for (const k of ["timestampsMs", "open", "high", "low", "close", "volume"] as const)
      expect(Array.from(got[k]), k).toEqual(Array.from(want[k]));
    const pages = requests.filter((r) => r.includes("/klines")).map((r) => new URL(r).searchParams);
    expect(pages.map((q) => [q.get("symbol"), q.get("interval"), q.get("limit")])).toEqual([
      ["BTCUSDT", "1d", "5"],
      ["BTCUSDT", "1d", "5"],
      ["BTCUSDT", "1d", "5"],
    ]);
    expect(Number(pages[1].get("startTime"))).toBe((klines[4][0] as number) + 1);
  });

  it("429 is retried then gives up; garbage, an unknown market and an unknown exchange fail with the reason", async () => {
    const requests: string[] = [];
    const limited = createCcxtProvider(
      ccxtExchange("binance", {
        http: binance(requests, (u) =>
          u.pathname === "/api/v3/klines"
            ? Response.json(
                { code: -1003, msg: "Too many requests; current limit of IP is 6000 requests per minute." },
                { status: 429 },
              )
            : null,
        ),
      }),
      { resilience: QUICK },
    );
    await expect(limited.fetchBars("BTC/USDT", RANGE)).rejects.toThrow(/Too many requests.*gave up after 2 attempts/);
    expect(requests.filter((r) => r.includes("/klines"))).toHaveLength(2);
    const junk = createCcxtProvider(
      ccxtExchange("binance", {
        http: binance([], (u) => (u.pathname === "/api/v3/klines" ? new Response("<html>busy</html>") : null)),
      }),
      { resilience: QUICK },
    );
    await expect(junk.fetchBars("BTC/USDT", RANGE)).rejects.toThrow(
      /\/api\/v3\/klines: answered with something that is not JSON \(starts with "<html>busy/,
    );
    const ok = createCcxtProvider(ccxtExchange("binance", { http: binance([]) }), { resilience: QUICK });
    await expect(ok.fetchBars("NOPE/USDT", RANGE)).rejects.toThrow(/does not have market symbol NOPE\/USDT/);
    const nowhere = createCcxtProvider(ccxtExchange("nosuchexchange"), { resilience: QUICK });
    await expect(nowhere.fetchBars("BTC/USDT", RANGE)).rejects.toThrow(
      /ccxt has no exchange "nosuchexchange" \(LAB_CCXT_EXCHANGE/,
    );
    expect(() => pickProvider([], "ccxt:kraken")).toThrow(/set LAB_CCXT_EXCHANGE=kraken/);
  });
});

describe("every source is off until its variable is set", () => {
  it("lists alphavantage-fx with the Alpha Vantage key, ccxt exchanges with LAB_CCXT_EXCHANGE", () => {
    const names = () => configuredProviders(env()).map((p) => p.name);
    withEnv({ ALPHAVANTAGE_API_KEY: undefined, LAB_CCXT_EXCHANGE: undefined, FRED_API_KEY: undefined }, () => {
      expect(names().filter((n) => n.startsWith("alphavantage") || n.startsWith("ccxt"))).toEqual([]);
      expect(configuredMacroProvider(env())).toBeNull();
    });
    withEnv({ ALPHAVANTAGE_API_KEY: "k", LAB_CCXT_EXCHANGE: "binance, kraken", FRED_API_KEY: "f" }, () => {
      expect(names().filter((n) => n.startsWith("alphavantage") || n.startsWith("ccxt"))).toEqual([
        "alphavantage",
        "alphavantage-fx",
        "ccxt:binance",
        "ccxt:kraken",
      ]);
      expect(configuredMacroProvider(env())?.name).toBe("fred");
    });
    expect(() => pickProvider([], "alphavantage-fx")).toThrow(/set ALPHAVANTAGE_API_KEY/);
  });
});

describe("the data page's source list", () => {
  it("lists every source with its status: the variable to set when off, rate limit, spacing and breaker when on", () => {
    const { stocks, fx } = createAlphaVantageProviders({ apiKey: "k", resilience: { ratePerMinute: 50 } });
    const binance = createCcxtProvider(ccxtExchange("binance"), { resilience: { ratePerMinute: 50 } });
    const rows = sourceStatuses([stocks, fx, binance], null);
    expect(rows.map((r) => [r.name, r.configured])).toEqual([
      ["yahoo", false],
      ["polygon", false],
      ["alpaca", false],
      ["alphavantage", true],
      ["alphavantage-fx", true],
      ["ccxt:binance", true],
      ["fred", false],
    ]);
    const by = (name: string) => rows.find((r) => r.name === name)!;
    expect(by("alphavantage")).toMatchObject({ ratePerMinute: 50, spacingSeconds: 12, breaker: "closed" });
    expect(by("ccxt:binance")).toMatchObject({ ratePerMinute: 50, spacingSeconds: null, breaker: "closed" });
    expect(by("fred")).toMatchObject({ variable: "FRED_API_KEY", ratePerMinute: null, breaker: null });
    expect(by("polygon").variable).toBe("POLYGON_API_KEY");
    const fred = createFredProvider({ apiKey: "k" });
    expect(sourceStatuses([], fred).find((r) => r.name === "fred")).toMatchObject({
      configured: true,
      breaker: "closed",
    });
    expect(sourceStatuses([], null).find((r) => r.name === "ccxt")?.variable).toMatch(/^LAB_CCXT_EXCHANGE/);
  });
});
