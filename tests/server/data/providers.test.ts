import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseBarsCsv } from "@/lib/data/csv";
import {
  configuredProviders,
  createAlpacaProvider,
  createCcxtProvider,
  createPolygonProvider,
  createYahooProvider,
  ProviderHttpError,
  ProviderResponseError,
  ProviderUnavailableError,
  type FetchLike,
  type ResilienceClock,
} from "@/server/data/providers";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/providers/${name}`, import.meta.url), "utf8");
const goog = parseBarsCsv(readFileSync("../shared/data/GOOG.csv", "utf8").split("\n").slice(0, 11).join("\n"), {
  symbol: "GOOG",
}).series;
const RANGE = { fromMs: Date.UTC(2004, 7, 19), toMs: Date.UTC(2004, 8, 2), interval: "1d" as const };

/** A clock whose sleep only moves time forward and records the waits. */
function fakeClock(startMs = 1_700_000_000_000) {
  const sleeps: number[] = [];
  const clock: ResilienceClock & { t: number } = {
    t: startMs,
    now: () => clock.t,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.t += ms;
    },
    random: () => 0.5,
  };
  return { clock, sleeps };
}

/**
 * Settle `p` on fake timers: the provider policy's backoff, rate-limit and breaker waits run on
 * (faked) setTimeout and Date; between 50 ms steps the real event loop gets a turn, since a
 * response body is read asynchronously.
 */
async function settle<T>(p: Promise<T>): Promise<T> {
  let done = false;
  const out = p.finally(() => {
    done = true;
  });
  out.catch(() => {});
  for (let i = 0; !done && i < 100_000; i++) {
    await new Promise((r) => setImmediate(r));
    if (!done) await vi.advanceTimersByTimeAsync(50);
  }
  return out;
}

/** Waits the policy chose before each retry, ms. */
function retryDelays(p: { resilience?: { dependency: { onRetry: (f: (e: { delay: number }) => void) => unknown } } }) {
  const delays: number[] = [];
  p.resilience?.dependency.onRetry((e) => delays.push(e.delay));
  return delays;
}

/** Cockatiel's decorrelated jitter with Math.random() = 0.5, by hand: 2^t·tanh(√(4t)) differences ÷ 1.4 × initial delay. */
function decorrelatedAtHalf(initialMs: number, n: number): number[] {
  const out: number[] = [];
  let prev = 0;
  for (let a = 0; a < n; a++) {
    const t = a + 0.5;
    const next = 2 ** t * Math.tanh(Math.sqrt(4 * t));
    out.push(((next - prev) / 1.4) * initialMs);
    prev = next;
  }
  return out;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

type Answer = { status?: number; body: string; headers?: Record<string, string> } | Error;

/** A fetch that answers from a script, in order, and records the calls. */
function scriptedFetch(answers: Answer[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetchImpl: FetchLike = async (url, init) => {
    calls.push({ url, headers: init?.headers ?? {} });
    const a = answers.shift();
    if (!a) throw new Error(`unexpected request ${url}`);
    if (a instanceof Error) throw a;
    return new Response(a.body, { status: a.status ?? 200, headers: a.headers });
  };
  return { fetchImpl, calls };
}
const ok = (body: string): Answer => ({ body });
const pagesOf = (name: string) => (JSON.parse(fixture(name)) as unknown[]).map((p) => JSON.stringify(p));

describe("provider adapters against recorded responses", () => {
  it("Yahoo: retries a 503 with backoff, then returns the same bars as the CSV importer", async () => {
    const { clock } = fakeClock();
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const { fetchImpl, calls } = scriptedFetch([
      { status: 503, body: "upstream down" },
      new TypeError("fetch failed"),
      ok(fixture("yahoo-chart-goog-1d.json")),
    ]);
    const yahoo = createYahooProvider({ fetch: fetchImpl, clock, resilience: { baseDelayMs: 1000 } });
    const delays = retryDelays(yahoo);
    const series = await settle(yahoo.fetchBars("GOOG", RANGE));
    expect(calls.length).toBe(3);
    expect(calls[0].url).toMatch(
      /^https:\/\/query1\.finance\.yahoo\.com\/v8\/finance\/chart\/GOOG\?period1=1092873600&/,
    );
    // Exponential backoff with decorrelated jitter: ≈ 897 ms, then ≈ 1093 ms at random() = 0.5.
    const expected = decorrelatedAtHalf(1000, 2);
    expect(delays.length).toBe(2);
    delays.forEach((d, i) => expect(d).toBeCloseTo(expected[i], 6));
    expect(expected[0]).toBeCloseTo(897.4, 1);
    expect(Array.from(series.close)).toEqual(Array.from(goog.close.subarray(0, 5)));
  });

  it("Polygon: honours Retry-After on 429, follows next_url, sends the key only as a header", async () => {
    const { clock } = fakeClock();
    const [p1, p2] = pagesOf("polygon-aggs-goog-1d.json");
    const { fetchImpl, calls } = scriptedFetch([
      { status: 429, body: '{"status":"ERROR","error":"too many"}', headers: { "retry-after": "7" } },
      ok(p1),
      ok(p2),
    ]);
    const polygon = createPolygonProvider({ apiKey: "pk_secret", fetch: fetchImpl, clock });
    const delays = retryDelays(polygon);
    const series = await settle(polygon.fetchBars("GOOG", RANGE));
    expect(delays).toEqual([7000]);
    expect(calls.map((c) => c.url.includes("cursor="))).toEqual([false, false, true]);
    expect(calls.every((c) => c.headers.authorization === "Bearer pk_secret" && !c.url.includes("pk_secret"))).toBe(
      true,
    );
    expect(series.timestampsMs).toEqual(goog.timestampsMs);
    expect(series.high).toEqual(goog.high);
  });

  it("Alpaca: pages with page_token and answers a second identical request from the cache", async () => {
    const { clock } = fakeClock();
    const [p1, p2] = pagesOf("alpaca-bars-goog-1day.json");
    const { fetchImpl, calls } = scriptedFetch([ok(p1), ok(p2)]);
    const alpaca = createAlpacaProvider({ keyId: "id", secretKey: "sk", feed: "iex", fetch: fetchImpl, clock });
    const first = await alpaca.fetchBars("GOOG", RANGE);
    const second = await alpaca.fetchBars("GOOG", RANGE);
    expect(calls.length).toBe(2);
    expect(calls[1].url).toContain("page_token=R09PR3x");
    expect(calls[0].headers["APCA-API-KEY-ID"]).toBe("id");
    expect(second.low).toEqual(first.low);
    expect(first.low).toEqual(goog.low);
    clock.t += 10 * 60_000; // past the 5-minute TTL: fetched again (the script is used up)
    await expect(settle(alpaca.fetchBars("GOOG", RANGE))).rejects.toThrow(/unexpected request/);
  });

  it("turns error bodies and malformed bodies into clear typed errors, without retrying", async () => {
    const { clock } = fakeClock();
    const { fetchImpl, calls } = scriptedFetch([
      { status: 404, body: fixture("yahoo-chart-not-found.json") },
      ok("<html>maintenance</html>"),
      ok('{"chart":{"result":[{"timestamp":"x"}],"error":null}}'),
      { status: 403, body: fixture("polygon-aggs-not-authorized.json") },
    ]);
    const yahoo = createYahooProvider({ fetch: fetchImpl, clock, resilience: { cacheTtlMs: 0 } });
    await expect(yahoo.fetchBars("ZZZZ", RANGE)).rejects.toThrow(
      new ProviderHttpError("yahoo", 404, "No data found, symbol may be delisted"),
    );
    const notJson = await yahoo.fetchBars("GOOG", RANGE).catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(ProviderResponseError);
    expect(String(notJson)).toMatch(/yahoo GOOG: response is not JSON \(starts with "<html>maintenance/);
    await expect(yahoo.fetchBars("GOOG", RANGE)).rejects.toBeInstanceOf(ProviderResponseError);
    const polygon = createPolygonProvider({ apiKey: "bad", fetch: fetchImpl, clock });
    await expect(polygon.fetchBars("GOOG", RANGE)).rejects.toThrow(
      /polygon: HTTP 403: You are not entitled to this data/,
    );
    expect(calls.length).toBe(4);
  });

  it("opens the circuit after consecutive failures, refuses without calling, then recovers half-open", async () => {
    const { clock } = fakeClock();
    const down: Answer[] = Array.from({ length: 3 }, () => ({ status: 502, body: "bad gateway" }));
    const { fetchImpl, calls } = scriptedFetch([...down, ok(fixture("yahoo-chart-goog-1d.json"))]);
    const yahoo = createYahooProvider({
      fetch: fetchImpl,
      clock,
      resilience: { maxAttempts: 5, breakerThreshold: 3, breakerCooldownMs: 30_000, cacheTtlMs: 0 },
    });
    const err = await settle(yahoo.fetchBars("GOOG", RANGE)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(String(err)).toMatch(/circuit open/);
    expect(calls.length).toBe(3);
    await expect(yahoo.fetchBars("GOOG", RANGE)).rejects.toThrow(/circuit open/);
    expect(calls.length).toBe(3); // refused without a request
    expect(yahoo.resilience?.breakerState).toBe("open");
    // `settle` advances the fake clock while the failing attempts run, so the cool-down is
    // measured from the moment the breaker opened, not from here.
    const openedAt = (yahoo.resilience as unknown as { openedAtMs: number }).openedAtMs;
    vi.advanceTimersByTime(openedAt + 29_000 - Date.now());
    await expect(yahoo.fetchBars("GOOG", RANGE)).rejects.toThrow(/circuit open/);
    expect(calls.length).toBe(3);
    vi.advanceTimersByTime(1_000); // cool-down over: one trial goes out and succeeds
    const series = await settle(yahoo.fetchBars("GOOG", RANGE));
    expect(series.close.length).toBe(5);
    expect(calls.length).toBe(4);
    expect(yahoo.resilience?.breakerState).toBe("closed");
  });

  it("makes 3 attempts by default, then gives up; fails at once when Retry-After is too long", async () => {
    const { clock } = fakeClock();
    const { fetchImpl, calls } = scriptedFetch([
      ...Array.from({ length: 3 }, () => ({ status: 500, body: "x" })),
      { status: 500, body: "x" },
      { status: 500, body: "x" },
      { status: 429, body: "{}", headers: { "retry-after": "3600" } },
    ]);
    const yahoo = createYahooProvider({ fetch: fetchImpl, clock, resilience: { cacheTtlMs: 0 } });
    expect(yahoo.resilience?.options).toMatchObject({ maxAttempts: 3, ratePerMinute: 50, breakerThreshold: 5 });
    const delays = retryDelays(yahoo);
    await expect(settle(yahoo.fetchBars("GOOG", RANGE))).rejects.toThrow(/HTTP 500: x \(gave up after 3 attempts\)/);
    expect(calls.length).toBe(3);
    expect(delays.length).toBe(2);
    const two = createYahooProvider({ fetch: fetchImpl, clock, resilience: { maxAttempts: 2, cacheTtlMs: 0 } });
    const twoDelays = retryDelays(two);
    await expect(settle(two.fetchBars("GOOG", RANGE))).rejects.toThrow(/HTTP 500: x \(gave up after 2 attempts\)/);
    await expect(settle(two.fetchBars("GOOG", RANGE))).rejects.toThrow(/asked to retry after 3600 s/);
    expect(twoDelays.length).toBe(1);
    expect(calls.length).toBe(6);
  });

  it("rate-limits each provider to 50 calls a minute: the 51st waits 1.2 s, the 52nd 2.4 s", async () => {
    const { clock } = fakeClock();
    const body = fixture("yahoo-chart-goog-1d.json");
    const { fetchImpl } = scriptedFetch(Array.from({ length: 52 }, () => ok(body)));
    const at: number[] = [];
    const timed: FetchLike = (url, init) => {
      at.push(Date.now());
      return fetchImpl(url, init);
    };
    const yahoo = createYahooProvider({ fetch: timed, clock, resilience: { cacheTtlMs: 0 } });
    const t0 = Date.now();
    for (let i = 0; i < 52; i++) await settle(yahoo.fetchBars("GOOG", RANGE));
    expect(at.slice(0, 50).every((t) => t === t0)).toBe(true);
    expect(at[50] - t0).toBe(1200);
    expect(at[51] - t0).toBe(2400);
    // Another provider has a limit of its own.
    const polygon = createPolygonProvider({ apiKey: "k", fetch: timed, clock, resilience: { cacheTtlMs: 0 } });
    const before = Date.now();
    await settle(polygon.fetchBars("GOOG", RANGE)).catch(() => {});
    expect(at[52]).toBe(before);
  });

  it("an extra spacing bucket (Alpha Vantage's kind) still spaces attempts on the injected clock", async () => {
    const { clock, sleeps } = fakeClock();
    const body = fixture("yahoo-chart-goog-1d.json");
    const { fetchImpl } = scriptedFetch(Array.from({ length: 4 }, () => ok(body)));
    const yahoo = createYahooProvider({
      fetch: fetchImpl,
      clock,
      resilience: { bucketCapacity: 2, refillPerSecond: 0.5, cacheTtlMs: 0 },
    });
    for (let i = 0; i < 4; i++) await settle(yahoo.fetchBars("GOOG", RANGE));
    expect(sleeps).toEqual([2000, 2000]);
  });

  it("ccxt: retries the exchange's NetworkError family and caches pages", async () => {
    const rows = JSON.parse(fixture("ccxt-ohlcv-btcusd-1M.json")) as number[][];
    class NetworkError extends Error {}
    class RequestTimeout extends NetworkError {}
    let calls = 0;
    let failures = 1;
    const exchange = {
      id: "kraken",
      async fetchOHLCV(_s: string, _tf?: string, since?: number, limit?: number) {
        calls++;
        if (failures-- > 0) throw new RequestTimeout("kraken GET timed out");
        return rows.filter((r) => r[0] >= (since ?? 0)).slice(0, limit);
      },
    };
    const { clock } = fakeClock();
    const p = createCcxtProvider(exchange, { clock, pageSize: 5 });
    expect(p.name).toBe("ccxt:kraken");
    const req = { fromMs: rows[0][0], toMs: rows[11][0], interval: "1mo" as const };
    const series = await settle(p.fetchBars("BTC/USD", req));
    expect(Array.from(series.close)).toEqual(rows.slice(0, 12).map((r) => r[4]));
    const before = calls;
    await p.fetchBars("BTC/USD", req);
    expect(calls).toBe(before);
  });

  it("turns on only the configured providers", () => {
    const base = {
      LAB_YAHOO_ENABLED: false,
      POLYGON_API_KEY: undefined,
      POLYGON_BASE_URL: undefined,
      ALPACA_KEY_ID: undefined,
      ALPACA_SECRET_KEY: undefined,
      ALPACA_DATA_FEED: undefined,
      LAB_PROVIDER_CACHE_SECONDS: 300,
    };
    expect(configuredProviders(base)).toEqual([]);
    expect(configuredProviders({ ...base, ALPACA_KEY_ID: "only-half" })).toEqual([]);
    expect(
      configuredProviders({
        ...base,
        LAB_YAHOO_ENABLED: true,
        POLYGON_API_KEY: "k",
        ALPACA_KEY_ID: "a",
        ALPACA_SECRET_KEY: "b",
      }).map((p) => p.name),
    ).toEqual(["yahoo", "polygon", "alpaca"]);
  });
});
