import "server-only";
/**
 * Writing the seeded demo universe into the database. Only one demo universe is stored at a
 * time: a call with other options replaces it (symbols, bars, fundamentals and the demo
 * universe lists).
 */
import { and, eq, isNull } from "drizzle-orm";
import {
  businessDays,
  DEMO_DEFAULT_START_MS,
  demoBarCount,
  demoFactors,
  generateWithFactors,
} from "@/lib/data/demo-universe";
import { demoSymbolList } from "@/lib/data/demo-symbols";
import { demoUniverses } from "@/lib/data/universes";
import type { Db } from "@/server/db";
import { marketSymbols, marketUniverses } from "@/server/db/schema";
import { saveManySeries } from "./store";

/** Options of {@link ensureDemoUniverse}. */
export interface DemoOptions {
  symbols?: number;
  years?: number;
  seed?: number;
  /** Rewrite even when the stored demo universe already has these options. */
  force?: boolean;
}

const DEMO_WRITE_BATCH = 10;

/** Symbols of the demo universe the app writes on first start (`demo-500`). */
export const DEMO_DEFAULT_SYMBOLS = 500;

/**
 * Write the demo universe unless the same one is already stored. Idempotent; an interrupted
 * write is redone from scratch on the next call (the universe rows are written last).
 */
export async function ensureDemoUniverse(
  db: Db,
  opts: DemoOptions = {},
): Promise<{ created: boolean; symbols: number; bars: number }> {
  const symbols = opts.symbols ?? DEMO_DEFAULT_SYMBOLS;
  const years = opts.years ?? 10;
  const seed = opts.seed ?? 42;
  const bars = demoBarCount(years);
  const params = { kind: "demo", symbols, years, seed, startDateMs: DEMO_DEFAULT_START_MS };
  const [existing] = await db
    .select({ params: marketUniverses.params })
    .from(marketUniverses)
    .where(and(isNull(marketUniverses.workspaceId), eq(marketUniverses.name, `demo-${symbols}`)));
  const same = existing?.params && Object.entries(params).every(([k, v]) => existing.params?.[k] === v);
  if (!opts.force && same) return { created: false, symbols, bars };

  const list = demoSymbolList(seed, symbols);
  const factors = demoFactors(seed, bars);
  const ts = businessDays(DEMO_DEFAULT_START_MS, bars);
  // Clear any previous (or half-written) demo data first; the universe rows, written last, mark
  // the demo universe as complete.
  await db.transaction(async (tx) => {
    await tx
      .delete(marketUniverses)
      .where(and(isNull(marketUniverses.workspaceId), eq(marketUniverses.synthetic, true)));
    await tx.delete(marketSymbols).where(and(isNull(marketSymbols.workspaceId), eq(marketSymbols.source, "demo")));
  });
  // Small transactions: on the embedded database one long transaction would hold every other
  // query (sign-in, pages) until the whole universe is written.
  for (let b = 0; b < list.length; b += DEMO_WRITE_BATCH) {
    const batch = list.slice(b, b + DEMO_WRITE_BATCH).map((info) => {
      const { data } = generateWithFactors(info, seed, factors, ts);
      return {
        series: data.series,
        fundamentals: data.fundamentals,
        meta: { name: data.name, sector: data.sector, source: "demo", synthetic: true, meta: { seed } },
      };
    });
    await saveManySeries(db, batch);
    // Let queued requests run between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const universes = demoUniverses(seed, symbols).map((u) => ({
    workspaceId: null,
    name: u.name,
    description: u.description,
    symbols: u.symbols,
    synthetic: true,
    params,
  }));
  await db.insert(marketUniverses).values(universes);
  return { created: true, symbols, bars };
}
