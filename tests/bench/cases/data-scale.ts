/**
 * Universes at scale on PGlite (in memory): store the demo universe of 1,000 symbols × 2,520 bars
 * (10 years) and of 5,000 symbols × 504 bars (2 years; the same ~12.6 M bars of 6 columns, about
 * 120 MB of Float64), then time a cold load of the whole universe (fresh handle, empty chunk cache)
 * — `data_load_1000_ms`, `data_load_5000_ms` — and the store step (`data_store_*_ms`). `screen_1000_ms`
 * screens 1,000 demo symbols × 2,520 bars with the RSI + volume spike example in the sandbox
 * (pool warmed first; default history window), as modes-screen does for 500.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { runScreen } from "@/lib/modes/screen";
import { EXAMPLES } from "@/lib/sdk/examples";
import { clearChunkCache } from "@/server/data/chunk-reader";
import { ensureDemoUniverse } from "@/server/data/demo";
import { loadBars } from "@/server/data/store";
import { getUniverseSymbols } from "@/server/data/universes";
import { createPglite } from "@/server/db/client";
import { shutdownSandbox } from "@/server/sandbox";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";

async function storeAndLoad(
  symbols: number,
  years: number,
  bars: number,
): Promise<{ storeMs: number; loadMs: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), "lab-bench-scale-"));
  try {
    let h = await createPglite(path.join(dir, "db"));
    let t = performance.now();
    await ensureDemoUniverse(h.db, { symbols, years, seed: 11 });
    const storeMs = performance.now() - t;
    await h.close();
    clearChunkCache();
    h = await createPglite(path.join(dir, "db"));
    t = performance.now();
    const names = await getUniverseSymbols(h.db, `demo-${symbols}`);
    const series = await loadBars(h.db, names);
    const loadMs = performance.now() - t;
    const cells = series.reduce((n, s) => n + s.close.length, 0);
    if (series.length !== symbols || cells !== symbols * bars)
      throw new Error(`loaded ${series.length} symbols / ${cells} bars, expected ${symbols} / ${symbols * bars}`);
    await h.close();
    return { storeMs, loadMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default {
  name: "data-scale",
  description: "1,000 × 2,520 and 5,000 × 504 bar universes stored and cold-loaded on PGlite; screen of 1,000 symbols",
  async run(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const u1000 = await storeAndLoad(1000, 10, 2520);
    out.data_store_1000_ms = u1000.storeMs;
    out.data_load_1000_ms = u1000.loadMs;
    const u5000 = await storeAndLoad(5000, 2, 504);
    out.data_store_5000_ms = u5000.storeMs;
    out.data_load_5000_ms = u5000.loadMs;

    const universe = generateDemoUniverse({ symbols: 1000, years: 10 }).symbols.map((d) => d.series);
    const source = EXAMPLES["rsi-volume"].source;
    try {
      await runScreen({ source, universe: universe.slice(0, 5), runner: sandboxRunner });
      const t = performance.now();
      const res = await runScreen({ source, universe, runner: sandboxRunner, limit: 50 });
      out.screen_1000_ms = performance.now() - t;
      if (!res) throw new Error("screen returned nothing");
    } finally {
      shutdownSandbox();
    }
    return out;
  },
};
