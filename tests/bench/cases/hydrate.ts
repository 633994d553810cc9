/**
 * Hydration throughput on PGlite (in memory), one process: 1,000 symbols × 252 daily bars from a
 * Polygon provider answering from an injected fetch in its documented aggregates shape (no
 * network, no rate-limit waits), planned into batches and settled batch by batch — each symbol's
 * fetch, bars, universe entry and state in one transaction. `hydrate_1000_ms` is plan + settle.
 */
import { createHydration, hydrateBatch, hydrationProgress, type HydrateBatchJob } from "@/server/data/hydrate";
import { createPolygonProvider } from "@/server/data/providers";
import { createPglite } from "@/server/db/client";

const DAY = 86_400_000;
const FROM = Date.UTC(2023, 0, 2);

const fetchFixture = async (url: string) => {
  const symbol = decodeURIComponent(/ticker\/([^/]+)\//.exec(url)?.[1] ?? "");
  let seed = 7;
  for (const ch of symbol) seed = (seed * 31 + ch.charCodeAt(0)) % 9973;
  const results = Array.from({ length: 252 }, (_, i) => {
    const o = 10 + (seed % 300) + Math.sin(i / 9) * 3;
    const c = o * (1 + (((seed + i) % 7) - 3) / 500);
    return {
      o,
      c,
      h: Math.max(o, c) * 1.01,
      l: Math.min(o, c) * 0.99,
      v: 1000 + i,
      vw: o,
      n: 5,
      t: FROM + i * DAY + 21 * 3600_000,
    };
  });
  return Response.json({
    ticker: symbol,
    queryCount: 252,
    resultsCount: 252,
    adjusted: false,
    results,
    status: "OK",
    request_id: "bench",
  });
};

export default {
  name: "hydrate",
  description: "hydrate 1,000 symbols × 252 bars from a fixture-shaped provider into PGlite, one process",
  async run(): Promise<Record<string, number>> {
    const h = await createPglite(null);
    try {
      const providers = [
        createPolygonProvider({
          apiKey: "bench",
          fetch: fetchFixture,
          resilience: { ratePerMinute: 6_000_000, cacheTtlMs: 0 },
        }),
      ];
      const queued: HydrateBatchJob[] = [];
      const symbols = Array.from({ length: 1000 }, (_, i) => `H${String(i).padStart(4, "0")}`);
      const t0 = performance.now();
      const { hydrationId } = await createHydration(h.db, async (jobs) => void queued.push(...jobs), providers, {
        workspaceId: null,
        provider: "polygon",
        symbols,
        fromMs: FROM,
        toMs: FROM + 400 * DAY,
        universe: "bench-hydrated",
      });
      for (const job of queued) await hydrateBatch(h.db, providers, job);
      const ms = performance.now() - t0;
      const p = await hydrationProgress(h.db, hydrationId, Date.now());
      if (p.ok !== 1000 || p.bars !== 252_000) throw new Error(`hydrated ${p.ok} symbols / ${p.bars} bars`);
      return { hydrate_1000_ms: ms, hydrate_symbols_per_s: 1000 / (ms / 1000) };
    } finally {
      await h.close();
    }
  },
};
