/**
 * A worker process for the hydration fault test: `node --conditions=react-server --import tsx hydrate-child.ts`.
 * Its Polygon provider answers from an injected fetch in the documented aggregates shape
 * (tests/fixtures/providers/polygon-aggs-goog-1d.json), no network: 20 daily bars per symbol,
 * prices derived from the symbol; symbols starting NODATA get `resultsCount: 0`, GARBAGE an HTML
 * page. Each answer waits LAB_TEST_FETCH_DELAY_MS. Prints `fetched <symbol>` per request.
 */
import { getDatabase } from "@/server/db";
import { createPolygonProvider } from "@/server/data/providers";
import { runWorkerProcess } from "@/server/jobs/process";

const delayMs = Number(process.env.LAB_TEST_FETCH_DELAY_MS ?? "5");
const DAY = 86_400_000;

export function fakeBars(
  symbol: string,
  fromMs: number,
): { o: number; h: number; l: number; c: number; v: number; t: number; vw: number; n: number }[] {
  let seed = 7;
  for (const ch of symbol) seed = (seed * 31 + ch.charCodeAt(0)) % 9973;
  const base = 10 + (seed % 500);
  // 16:00 New York of consecutive days from the range start (the adapter maps each to its trading day).
  const start = Math.floor(fromMs / DAY) * DAY + 20 * 3600_000;
  return Array.from({ length: 20 }, (_, i) => {
    const o = base + i * 0.25,
      c = o + ((seed + i) % 5) * 0.1 - 0.2;
    return {
      o,
      h: Math.max(o, c) + 0.5,
      l: Math.min(o, c) - 0.5,
      c,
      v: 1000 + seed + i,
      vw: o,
      n: 10 + i,
      t: start + i * DAY,
    };
  });
}

const fakeFetch = async (url: string): Promise<Response> => {
  const m = /\/v2\/aggs\/ticker\/([^/]+)\/range\/1\/day\/(\d+)\/(\d+)/.exec(url);
  if (!m) return new Response(JSON.stringify({ status: "ERROR", error: "unknown path" }), { status: 404 });
  const symbol = decodeURIComponent(m[1]);
  process.stdout.write(`fetched ${symbol}\n`);
  await new Promise((r) => setTimeout(r, delayMs));
  if (symbol.startsWith("GARBAGE"))
    return new Response("<html>maintenance</html>", { status: 200, headers: { "content-type": "text/html" } });
  const results = symbol.startsWith("NODATA") ? [] : fakeBars(symbol, Number(m[2]));
  return Response.json({
    ticker: symbol,
    queryCount: results.length,
    resultsCount: results.length,
    adjusted: false,
    ...(results.length ? { results } : {}),
    status: "OK",
    request_id: "fixture",
    count: results.length,
  });
};

(globalThis as Record<symbol, unknown>)[Symbol.for("strategy-lab.market-data-providers")] = [
  createPolygonProvider({
    apiKey: "fixture-key",
    fetch: fakeFetch,
    resilience: { ratePerMinute: 60_000, maxAttempts: 1, cacheTtlMs: 0 },
  }),
];

const handle = await getDatabase();
const worker = await runWorkerProcess(handle, { alerts: false, demoFeed: false, pollingIntervalSeconds: 0.5 });
process.stdout.write(`ready ${process.pid}\n`);
process.on("SIGTERM", () => void worker.stop(10_000).then(() => process.exit(0)));
