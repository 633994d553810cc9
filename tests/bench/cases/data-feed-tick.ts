/**
 * The demo live feed tick on embedded PGlite (file data dir, the app's default): 500 demo
 * symbols × 10 years stored, then each run appends one bar to every symbol. Reports the tick
 * time, the latency of small queries due every 10 ms while the tick runs (what a sign-in or a
 * page waits for: the event loop and the single PGlite connection), and the time of loading all 500 symbols right
 * after a tick (what the alert evaluation that follows pays; the chunk cache is warm before the
 * tick), and folding 25 tails into their chunks (what a tick adds once tails pass 256 bars).
 * The first tick of a process also rebuilds the feed state: timed once, in setup.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { appendDemoBar } from "@/server/alerts/demo-feed";
import { compactBarTails } from "@/server/data/bar-append";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { loadAlignedBars } from "@/server/data/store";
import { createPglite, type DatabaseHandle } from "@/server/db/client";
import { QUICK, type BenchCase } from "../case";

let setup: Promise<{ h: DatabaseHandle; symbols: string[]; firstTickMs: number }> | null = null;

async function prepare() {
  const dir = mkdtempSync(path.join(tmpdir(), "lab-bench-feed-"));
  const h = await createPglite(path.join(dir, "pg"));
  await ensureDemoUniverse(h.db, { symbols: 500, years: QUICK ? 2 : 10, seed: 42 });
  const symbols = await getUniverseSymbols(h.db, "demo-500");
  const t0 = performance.now();
  await appendDemoBar(h.db); // also builds the feed state (once per process)
  return { h, symbols, firstTickMs: performance.now() - t0 };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

/**
 * Run `fn` while a small query is due every 10 ms; returns its time and each query's latency
 * from when it was due to its answer: that counts both a starved event loop (PGlite work
 * resolves in microtasks, so timers and sockets wait) and waiting for the connection.
 */
async function withProbes<T>(
  h: DatabaseHandle,
  fn: () => Promise<T>,
): Promise<{ value: T; ms: number; probes: number[] }> {
  const probes: number[] = [];
  let running = true;
  const probing = (async () => {
    while (running) {
      const due = performance.now() + 10;
      await new Promise((r) => setTimeout(r, 10));
      await h.db.execute(sql`select count(*) from market_universe`);
      probes.push(performance.now() - due);
    }
  })();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  running = false;
  await probing;
  return { value, ms, probes };
}

const dataFeedTick: BenchCase = {
  name: "data-feed-tick",
  description:
    "Demo live feed: one bar appended to 500 symbols (PGlite file), query latency during the tick, load of 500 symbols after it, compaction of 25 tails",
  async run() {
    setup ??= prepare();
    const { h, symbols, firstTickMs } = await setup;
    await loadAlignedBars(h.db, symbols); // warm cache, as the app has after earlier evaluations
    const tick = await withProbes(h, () => appendDemoBar(h.db));
    const appended = tick.value;
    if (appended?.symbols !== 500) throw new Error(`expected 500 symbols, appended ${appended?.symbols}`);
    const t1 = performance.now();
    const aligned = await loadAlignedBars(h.db, symbols);
    const loadMs = performance.now() - t1;
    if (aligned.timestampsMs[aligned.timestampsMs.length - 1] !== appended.timestampMs)
      throw new Error("the appended bar is missing from the load");
    // What a tick adds once tails are long: folding the 25 longest into their chunks.
    const compact = await withProbes(h, () => compactBarTails(h.db, { minRows: 1, maxSymbols: 25 }));
    if (compact.value.symbols !== 25) throw new Error(`expected 25 tails compacted, got ${compact.value.symbols}`);
    return {
      demo_feed_tick_500_ms: tick.ms,
      demo_feed_query_during_tick_max_ms: Math.max(0, ...tick.probes),
      demo_feed_load_500_after_tick_ms: loadMs,
      demo_feed_compact_25_ms: compact.ms,
      demo_feed_query_during_compact_max_ms: Math.max(0, ...compact.probes),
      demo_feed_query_during_compact_p50_ms: percentile(compact.probes, 0.5),
      demo_feed_first_tick_ms: firstTickMs,
    };
  },
};

export default dataFeedTick;
