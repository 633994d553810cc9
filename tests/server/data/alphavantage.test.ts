/**
 * Alpha Vantage daily prices (off until ALPHAVANTAGE_API_KEY is set), against fixtures in its
 * documented shape (tests/fixtures/providers/alphavantage-*.json): the first GOOG.csv rows come
 * back exactly as the CSV importer reads them; the key travels only in the request (never in the
 * cache key); the free tier's "limit reached" answer and an error message fail with the provider's
 * text and are not retried; only daily bars are served.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBarsCsv } from "@/lib/data/csv";
import { env, resetEnvCache } from "@/lib/env";
import { configuredProviders, createAlphaVantageProvider } from "@/server/data/providers";

const fixture = (name: string) => readFileSync(`tests/fixtures/providers/${name}`, "utf8");
const RANGE = { fromMs: Date.UTC(2004, 0, 1), toMs: Date.UTC(2005, 0, 1), interval: "1d" as const };

describe("Alpha Vantage provider", () => {
  it("parses TIME_SERIES_DAILY into the same bars as the CSV importer reads from GOOG.csv", async () => {
    const urls: string[] = [];
    const p = createAlphaVantageProvider({
      apiKey: "SECRET-KEY",
      fetch: async (url) => (urls.push(url), new Response(fixture("alphavantage-daily-goog.json"))),
      resilience: { bucketCapacity: 10, refillPerSecond: 10 },
    });
    const got = await p.fetchBars("GOOG", RANGE);
    const csv = readFileSync("../shared/data/GOOG.csv", "utf8").split("\n").slice(0, 6).join("\n");
    const want = parseBarsCsv(csv, { symbol: "GOOG" }).series;
    for (const k of ["timestampsMs", "open", "high", "low", "close", "volume"] as const)
      expect(Array.from(got[k]), k).toEqual(Array.from(want[k]));
    expect(urls).toEqual([
      "https://www.alphavantage.co/query?function=TIME_SERIES_DAILY&symbol=GOOG&outputsize=full&datatype=json&apikey=SECRET-KEY",
    ]);
    // A repeated fetch is served from the cache, whose key does not hold the API key.
    await p.fetchBars("GOOG", RANGE);
    expect(urls).toHaveLength(1);
    expect(p.resilience?.cacheHits).toBe(1);
    // The range trims the full history.
    const two = await p.fetchBars("GOOG", { ...RANGE, fromMs: Date.UTC(2004, 7, 24) });
    expect(two.close.length).toBe(2);
  });

  it("a used-up free tier or an error message fails at once with the provider's text; only daily bars", async () => {
    let calls = 0;
    const answer = (name: string) =>
      createAlphaVantageProvider({
        apiKey: "k",
        fetch: async () => (calls++, new Response(fixture(name))),
        resilience: { bucketCapacity: 10, refillPerSecond: 10, cacheTtlMs: 0 },
      });
    await expect(answer("alphavantage-limit.json").fetchBars("IBM", RANGE)).rejects.toThrow(
      /request limit reached: .*25 requests per day/,
    );
    expect(calls, "not retried").toBe(1);
    await expect(answer("alphavantage-error.json").fetchBars("NOPE", RANGE)).rejects.toThrow(/Invalid API call/);
    await expect(
      answer("alphavantage-daily-goog.json").fetchBars("GOOG", { ...RANGE, interval: "1h" }),
    ).rejects.toThrow(/daily bars only/);
    expect(answer("alphavantage-daily-goog.json").resilience?.options).toMatchObject({ bucketCapacity: 10 });
    expect(createAlphaVantageProvider({ apiKey: "k" }).resilience?.options).toMatchObject({
      bucketCapacity: 1,
      refillPerSecond: 5 / 60,
    });
  });

  it("is off until ALPHAVANTAGE_API_KEY is set", () => {
    const saved = process.env.ALPHAVANTAGE_API_KEY;
    try {
      delete process.env.ALPHAVANTAGE_API_KEY;
      resetEnvCache();
      expect(configuredProviders(env()).map((p) => p.name)).not.toContain("alphavantage");
      process.env.ALPHAVANTAGE_API_KEY = "k";
      resetEnvCache();
      expect(configuredProviders(env()).map((p) => p.name)).toContain("alphavantage");
    } finally {
      if (saved === undefined) delete process.env.ALPHAVANTAGE_API_KEY;
      else process.env.ALPHAVANTAGE_API_KEY = saved;
      resetEnvCache();
    }
  });
});
