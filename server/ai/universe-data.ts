import "server-only";
/**
 * Bars for the market context and the dry run: up to `maxSymbols` symbols of the chosen
 * universe, from the database when it holds them, else generated from the seeded demo model
 * (the same data the demo universes are built from).
 */
import type { BarSeries, FundamentalSeries } from "@/lib/data/bars";
import { generateDemoSeries } from "@/lib/data/demo-universe";
import { isDemoUniverseName, resolveUniverse } from "@/lib/data/universes";
import type { DbOrTx } from "@/server/db";
import { getUniverseSymbols } from "@/server/data/universes";
import { loadRunBars } from "@/server/jobs/bars";

export interface UniverseSample {
  name: string;
  /** Symbols in the whole universe (the sample holds at most `maxSymbols` of them). */
  totalSymbols: number;
  bars: BarSeries[];
  fundamentals: Record<string, FundamentalSeries>;
}

/** Demo data without a database (the CLI and the fallback). Throws RangeError for an unknown universe. */
export function demoSample(name: string, maxSymbols = 30, years = 3): UniverseSample {
  const all = resolveUniverse(name);
  const symbols = all.slice(0, maxSymbols);
  const data = symbols.map((s) => generateDemoSeries(s, { seed: 42, years }));
  return {
    name,
    totalSymbols: all.length,
    bars: data.map((d) => d.series),
    fundamentals: Object.fromEntries(data.map((d) => [d.symbol, d.fundamentals])),
  };
}

export async function universeSample(
  db: DbOrTx,
  workspaceId: string,
  name: string,
  maxSymbols = 30,
): Promise<UniverseSample | null> {
  // A demo universe the app is still writing (first start) has no universe row yet (it is written
  // last): the lookup fails and the sample is generated from the same seeded model instead.
  try {
    const all = await getUniverseSymbols(db, name, workspaceId);
    const symbols = all.slice(0, maxSymbols);
    if (symbols.length > 0) {
      const loaded = await loadRunBars(db, workspaceId, symbols, { fundamentals: true });
      if (loaded.universe.length > 0)
        return { name, totalSymbols: all.length, bars: loaded.universe, fundamentals: loaded.fundamentals };
    }
  } catch {
    // Not in the database (yet): fall back to generated demo data below.
  }
  if (isDemoUniverseName(name)) return demoSample(name, maxSymbols);
  return null;
}
