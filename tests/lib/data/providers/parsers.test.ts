import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBarsCsv } from "@/lib/data/csv";
import {
  fetchCcxtBars,
  parseAlpacaBars,
  parsePolygonAggs,
  parseYahooChart,
  ProviderResponseError,
} from "@/lib/data/providers";

const fx = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/providers/${name}`, import.meta.url), "utf8"));
const csvRows = (file: string, n: number) =>
  parseBarsCsv(
    readFileSync(`../shared/data/${file}`, "utf8")
      .split("\n")
      .slice(0, n + 1)
      .join("\n"),
    { symbol: "REF" },
  ).series;

describe("provider parsers agree with the CSV importer on the same rows", () => {
  const goog10 = csvRows("GOOG.csv", 10);

  it("Yahoo chart: drops the null bar and stamps daily bars at 00:00 UTC of the New York day", () => {
    const { series, dropped } = parseYahooChart("GOOG", fx("yahoo-chart-goog-1d.json"), "1d");
    expect(dropped).toBe(1);
    expect(Array.from(series.timestampsMs)).toEqual(Array.from(goog10.timestampsMs.subarray(0, 5)));
    expect(Array.from(series.close)).toEqual(Array.from(goog10.close.subarray(0, 5)));
    expect(Array.from(series.volume)).toEqual(Array.from(goog10.volume.subarray(0, 5)));
  });

  it("Polygon aggregates: concatenates pages", () => {
    const { series } = parsePolygonAggs("GOOG", fx("polygon-aggs-goog-1d.json") as unknown[], "1d");
    expect(series.timestampsMs).toEqual(goog10.timestampsMs);
    expect(series.high).toEqual(goog10.high);
  });

  it("Alpaca bars: concatenates pages", () => {
    const { series } = parseAlpacaBars("GOOG", fx("alpaca-bars-goog-1day.json") as unknown[], "1d");
    expect(series.timestampsMs).toEqual(goog10.timestampsMs);
    expect(series.low).toEqual(goog10.low);
  });

  it("ccxt: pages through an injected exchange until the range ends", async () => {
    const rows = fx("ccxt-ohlcv-btcusd-1M.json") as number[][];
    const calls: [number | undefined, number | undefined][] = [];
    const exchange = {
      async fetchOHLCV(_s: string, _tf?: string, since?: number, limit?: number) {
        calls.push([since, limit]);
        return rows.filter((r) => r[0] >= (since ?? 0)).slice(0, limit);
      },
    };
    const { series } = await fetchCcxtBars(exchange, "BTC/USD", {
      fromMs: 0,
      toMs: rows[9][0],
      interval: "1mo",
      pageSize: 4,
    });
    const ref = csvRows("BTCUSD.csv", 10);
    expect(series.timestampsMs).toEqual(ref.timestampsMs);
    expect(series.volume).toEqual(ref.volume);
    expect(calls.length).toBe(3);
  });
});

describe("provider error bodies become ProviderResponseError", () => {
  it.each([
    ["yahoo", () => parseYahooChart("ZZZZ", fx("yahoo-chart-not-found.json"), "1d"), /Not Found/],
    ["polygon", () => parsePolygonAggs("GOOG", [fx("polygon-aggs-not-authorized.json")], "1d"), /NOT_AUTHORIZED/],
    ["alpaca", () => parseAlpacaBars("GOOG", [fx("alpaca-bars-unauthorized.json")], "1d"), /not authorized/],
  ])("%s", (_p, run, msg) => {
    expect(run).toThrow(ProviderResponseError);
    expect(run).toThrow(msg);
  });
});
