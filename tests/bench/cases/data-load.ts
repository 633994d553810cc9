/**
 * Market data access: generate the 500-symbol demo universe, store it, then load all
 * 500 × 2,520 bars into aligned typed arrays. Targets: generate < 1.5 s, load < 300 ms warm
 * and < 2 s cold (fresh database handle, empty chunk cache), peak memory growth of the cold
 * load < 200 MB (both RSS and heap + buffers are reported: RSS can stay flat when the load reuses
 * memory freed earlier); `uncached` is a load on a warm handle with the in-process chunk cache emptied
 * first (the database path alone); on PGlite (file
 * data dir) and on Postgres (a fresh database on 127.0.0.1:5432, dropped afterwards; skipped
 * when LAB_TEST_SKIP_POSTGRES=1). Postgres figures carry a `_postgres` suffix.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import pg from "pg";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { clearChunkCache } from "@/server/data/chunk-reader";
import { loadAlignedBars } from "@/server/data/store";
import { createPg, createPglite, type DatabaseHandle } from "@/server/db/client";

const ADMIN_URL = process.env.LAB_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function loadAligned(h: DatabaseHandle): Promise<number> {
  const symbols = await getUniverseSymbols(h.db, "demo-500");
  const aligned = await loadAlignedBars(h.db, symbols);
  return aligned.close.length * aligned.timestampsMs.length;
}

/** A garbage collector handle even without --expose-gc (so memory figures start from a clean heap). */
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * Run `fn` and report, in MB, the peak growth over the values before it (sampled every 3 ms)
 * of RSS and of the JavaScript heap plus off-heap buffers (typed arrays, driver buffers).
 */
async function peakMemoryGrowth<T>(fn: () => Promise<T>): Promise<{ value: T; rssMb: number; allocMb: number }> {
  gc();
  const m0 = process.memoryUsage();
  const alloc = (m: NodeJS.MemoryUsage) => m.heapUsed + m.external;
  let peakRss = m0.rss,
    peakAlloc = alloc(m0);
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakAlloc = Math.max(peakAlloc, alloc(m));
  };
  const timer = setInterval(sample, 3);
  try {
    const value = await fn();
    sample();
    return { value, rssMb: (peakRss - m0.rss) / 2 ** 20, allocMb: (peakAlloc - alloc(m0)) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

async function measure(open: () => Promise<DatabaseHandle>, suffix: string): Promise<Record<string, number>> {
  let h = await open();
  await ensureDemoUniverse(h.db, { symbols: 500, years: 10, seed: 42 });
  await h.close();
  clearChunkCache();
  h = await open();
  const {
    value: [cells, cold],
    rssMb,
    allocMb,
  } = await peakMemoryGrowth(async () => {
    const t0 = performance.now();
    const n = await loadAligned(h);
    return [n, performance.now() - t0] as const;
  });
  let t = 0;
  if (cells !== 500 * 2520) throw new Error(`loaded ${cells} cells, expected ${500 * 2520}`);
  const warm: number[] = [];
  const warmCpu: number[] = [];
  const uncached: number[] = [];
  for (let k = 0; k < 5; k++) {
    const cpu = process.cpuUsage();
    t = performance.now();
    await loadAligned(h);
    warm.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    warmCpu.push((used.user + used.system) / 1000);
  }
  for (let k = 0; k < 3; k++) {
    clearChunkCache();
    t = performance.now();
    await loadAligned(h);
    uncached.push(performance.now() - t);
  }
  await h.close();
  return {
    [`data_load_500_cold_ms${suffix}`]: cold,
    [`data_load_500_warm_ms${suffix}`]: median(warm),
    // CPU time of this process for a warm load: on PGlite that includes the database work, and
    // unlike wall time it hardly changes when other processes compete for the cores.
    [`data_load_500_warm_cpu_ms${suffix}`]: median(warmCpu),
    [`data_load_500_uncached_ms${suffix}`]: median(uncached),
    [`data_load_500_rss_mb${suffix}`]: rssMb,
    [`data_load_500_alloc_mb${suffix}`]: allocMb,
  };
}

export default {
  name: "data-load",
  description: "demo universe generation; 500 × 2,520 bars loaded into aligned arrays on PGlite and Postgres",
  async run(): Promise<Record<string, number>> {
    const t = performance.now();
    generateDemoUniverse({ symbols: 500, years: 10, seed: 42 });
    const out: Record<string, number> = { demo_generate_500_ms: performance.now() - t };

    const dir = mkdtempSync(path.join(tmpdir(), "lab-bench-pglite-"));
    try {
      Object.assign(out, await measure(() => createPglite(path.join(dir, "db")), ""));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    if (process.env.LAB_TEST_SKIP_POSTGRES !== "1") {
      const name = `lab_bench_${randomBytes(5).toString("hex")}`;
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const url = new URL(ADMIN_URL);
        url.pathname = `/${name}`;
        const open = async () => {
          const h = await createPg(url.toString(), { max: 4 });
          // The database is force-dropped at the end; idle clients must not crash the run.
          (h.pool as unknown as { on(e: "error", f: () => void): void }).on("error", () => {});
          return h;
        };
        Object.assign(out, await measure(open, "_postgres"));
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    }
    return out;
  },
};
