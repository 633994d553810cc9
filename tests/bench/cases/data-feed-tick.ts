/**
 * The demo live feed tick on embedded PGlite (file data dir, the app's default): 500 demo
 * symbols × 10 years stored, then each run appends one bar to every symbol. Reports the tick
 * time, the latency of small queries due every 10 ms while the tick runs (what a sign-in or a
 * page waits for: the event loop and the single PGlite connection), and the time of loading all 500 symbols right
 * after a tick (what the alert evaluation that follows pays; the chunk cache is warm before the
 * tick). The first tick of a process also rebuilds the feed state; it is done in setup and not timed.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { appendDemoBar } from "@/server/alerts/demo-feed";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { loadAlignedBars } from "@/server/data/store";
import { createPglite, type DatabaseHandle } from "@/server/db/client";
import { QUICK, type BenchCase } from "../case";

let setup: Promise<{ h: DatabaseHandle; symbols: string[] }> | null = null;

async function prepare() {
  const dir = mkdtempSync(path.join(tmpdir(), "lab-bench-feed-"));
  const h = await createPglite(path.join(dir, "pg"));
  await ensureDemoUniverse(h.db, { symbols: 500, years: QUICK ? 2 : 10, seed: 42 });
  const symbols = await getUniverseSymbols(h.db, "demo-500");
  await appendDemoBar(h.db); // builds the feed state once per process
  return { h, symbols };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

const dataFeedTick: BenchCase = {
  name: "data-feed-tick",
  description: "Demo live feed: one bar appended to 500 symbols (PGlite file), query latency during the tick, load of 500 symbols after it",
  async run() {
    setup ??= prepare();
    const { h, symbols } = await setup;
    await loadAlignedBars(h.db, symbols); // warm cache, as the app has after earlier evaluations
    const probes: number[] = [];
    let ticking = true;
    const probing = (async () => {
      while (ticking) {
        // Latency from when the query is due (timer) to its answer: counts both a starved event
        // loop (PGlite work resolves in microtasks, so timers and sockets wait) and lock waits.
        const due = performance.now() + 10;
        await new Promise((r) => setTimeout(r, 10));
        await h.db.execute(sql`select count(*) from market_universe`);
        probes.push(performance.now() - due);
      }
    })();
    const t0 = performance.now();
    const appended = await appendDemoBar(h.db);
    const tickMs = performance.now() - t0;
    ticking = false;
    await probing;
    if (appended?.symbols !== 500) throw new Error(`expected 500 symbols, appended ${appended?.symbols}`);
    const t1 = performance.now();
    const aligned = await loadAlignedBars(h.db, symbols);
    const loadMs = performance.now() - t1;
    if (aligned.timestampsMs[aligned.timestampsMs.length - 1] !== appended.timestampMs) throw new Error("the appended bar is missing from the load");
    return {
      demo_feed_tick_500_ms: tickMs,
      demo_feed_query_during_tick_max_ms: Math.max(0, ...probes),
      demo_feed_query_during_tick_p50_ms: percentile(probes, 0.5),
      demo_feed_load_500_after_tick_ms: loadMs,
    };
  },
};

export default dataFeedTick;
