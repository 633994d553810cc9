/**
 * The provider response cache: bounded (LAB_PROVIDER_CACHE_ENTRIES, default 100), least recently
 * used evicted first, hits and misses counted; a repeated fetch is served without a call.
 */
import { describe, expect, it } from "vitest";
import { configuredProviders, createPolygonProvider, Resilience, type ResilienceClock } from "@/server/data/providers";
import { env, resetEnvCache } from "@/lib/env";

function envWith(vars: Record<string, string>) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  resetEnvCache();
  try {
    return env();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    resetEnvCache();
  }
}

const clock = (): ResilienceClock & { t: number } => {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms), random: () => 0.5 };
  return c;
};

describe("provider response cache", () => {
  it("keeps at most cacheMaxEntries, evicting the least recently used, and counts hits and misses", async () => {
    const r = new Resilience("cachetest", clock(), { cacheMaxEntries: 2, cacheTtlMs: 60_000 });
    let calls = 0;
    const get = (key: string) => r.call(key, async () => `${key}#${++calls}`);
    expect(await get("a")).toBe("a#1");
    expect(await get("b")).toBe("b#2");
    expect(await get("a")).toBe("a#1"); // hit; "a" becomes the most recently used
    expect(await get("c")).toBe("c#3"); // evicts "b", not "a"
    expect(await get("a")).toBe("a#1");
    expect(await get("b")).toBe("b#4");
    expect({ hits: r.cacheHits, misses: r.cacheMisses, calls }).toEqual({ hits: 2, misses: 4, calls: 4 });
  });

  it("defaults to 100 entries, configurable by LAB_PROVIDER_CACHE_ENTRIES; a repeated fetch makes no second request", async () => {
    expect(envWith({ LAB_PROVIDER_CACHE_ENTRIES: "" }).LAB_PROVIDER_CACHE_ENTRIES).toBe(100);
    expect(envWith({ LAB_PROVIDER_CACHE_ENTRIES: "7" }).LAB_PROVIDER_CACHE_ENTRIES).toBe(7);
    expect(() => envWith({ LAB_PROVIDER_CACHE_ENTRIES: "0" })).toThrow(/LAB_PROVIDER_CACHE_ENTRIES/);
    const config = envWith({ POLYGON_API_KEY: "k", LAB_PROVIDER_CACHE_ENTRIES: "3" });
    let requests = 0;
    const fetch = async () => {
      requests++;
      return Response.json({
        ticker: "AAA",
        queryCount: 1,
        resultsCount: 1,
        adjusted: false,
        results: [{ v: 1, vw: 1, o: 1, c: 1, h: 1, l: 1, t: Date.UTC(2024, 0, 2, 21), n: 1 }],
        status: "OK",
        request_id: "x",
      });
    };
    const [polygon] = configuredProviders(config, { fetch });
    expect(polygon.resilience?.options.cacheMaxEntries).toBe(3);
    const req = { fromMs: Date.UTC(2024, 0, 1), toMs: Date.UTC(2024, 0, 5), interval: "1d" as const };
    await polygon.fetchBars("AAA", req);
    await polygon.fetchBars("AAA", req);
    expect(requests).toBe(1);
    expect(polygon.resilience?.cacheHits).toBe(1);
    expect(createPolygonProvider({ apiKey: "k", fetch }).resilience?.options.cacheMaxEntries).toBe(100);
  });
});
