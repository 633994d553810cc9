/**
 * Appended bars (the bar tail) and their compaction into chunks: loads return the chunked
 * history followed by the appended bars exactly as a longer batch generation of the same seeded
 * demo model (or the real CSV the bars come from) has them, for any date range, before and after
 * compaction, and a second database handle sees appends and compactions made through the first.
 */
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alignSeries } from "@/lib/data/align";
import type { BarSeries } from "@/lib/data/bars";
import { parseBarsCsv } from "@/lib/data/csv";
import { generateDemoSeries } from "@/lib/data/demo-universe";
import { appendDemoBar } from "@/server/alerts/demo-feed";
import { appendBars, compactBarTails } from "@/server/data/bar-append";
import { readTails } from "@/server/data/bar-tail";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols, scanUniverse } from "@/server/data/scan";
import {
  BAR_CHUNK_SIZE,
  findSymbols,
  loadAlignedBars,
  loadBars,
  loadFundamentals,
  saveSeries,
} from "@/server/data/store";
import { createPg, type DatabaseHandle } from "@/server/db/client";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";

const orcl = parseBarsCsv(readFileSync("../shared/data/orcl-1995-2014.csv", "utf8"), { symbol: "ORCL" }).series;
const slice = (s: BarSeries, from: number, to: number): BarSeries => ({
  symbol: s.symbol,
  timestampsMs: s.timestampsMs.slice(from, to),
  open: s.open.slice(from, to),
  high: s.high.slice(from, to),
  low: s.low.slice(from, to),
  close: s.close.slice(from, to),
  volume: s.volume.slice(from, to),
});
const FUND = ["marketCap", "pe", "eps", "revenue", "pb", "debtToEquity"] as const;
const SEED = 9;
const BASE = 252; // one year of demo bars
const TICKS = 5;

async function tableCount(h: DatabaseHandle, table: string): Promise<number> {
  const res = (await h.db.execute(sql.raw(`select count(*)::int4 as n from ${table}`))) as unknown as {
    rows: { n: number }[];
  };
  return Number(res.rows[0].n);
}

describe.each(DRIVERS)("bar tail on %s", (driver) => {
  let h: TestDatabase;
  let symbols: string[];
  // The reference: the same model generated in one batch, TICKS bars longer.
  const ref = (sym: string) => generateDemoSeries(sym, { years: (BASE + TICKS) / 252, seed: SEED });
  beforeAll(async () => {
    h = await createTestDatabase(driver);
    await ensureDemoUniverse(h.db, { symbols: 11, years: 1, seed: SEED });
    symbols = await getUniverseSymbols(h.db, "demo-11");
  });
  afterAll(async () => h?.close());

  it("appended ticks load exactly as a longer batch generation: bars, fundamentals, aligned, symbol rows", async () => {
    await loadBars(h.db, symbols); // warm the chunk cache first: appends must not leave it stale
    await loadFundamentals(h.db, symbols);
    for (let i = 0; i < TICKS; i++) expect((await appendDemoBar(h.db))?.symbols).toBe(11);
    expect(await tableCount(h, "market_bar_tail")).toBe(11 * TICKS);
    const bars = await loadBars(h.db, symbols);
    const funds = await loadFundamentals(h.db, symbols);
    symbols.forEach((sym, i) => {
      const r = ref(sym);
      expect(r.series.close.length).toBe(BASE + TICKS);
      expect(bars[i]).toEqual(r.series);
      for (const k of FUND) expect(funds[i][k]).toEqual(r.fundamentals[k]);
    });
    expect(await loadAlignedBars(h.db, symbols)).toEqual(alignSeries(symbols.map((s) => ref(s).series)));
    const scan = await scanUniverse(h.db, "demo-11");
    const row = scan.find((x) => x.symbol === symbols[3]);
    expect(row?.lastClose).toBe(ref(symbols[3]).series.close[BASE + TICKS - 1]);
  });

  it("respects from/to across the chunks and the tail", async () => {
    const sym = symbols[2];
    const r = ref(sym);
    const ts = r.series.timestampsMs;
    for (const [lo, hi] of [
      [BASE - 3, BASE + 2],
      [BASE + 1, BASE + 3],
      [10, 20],
      [BASE + TICKS - 1, BASE + TICKS - 1],
    ]) {
      const [got] = await loadBars(h.db, [sym], { fromMs: ts[lo], toMs: ts[hi] });
      expect(got).toEqual(slice(r.series, lo, hi + 1));
      const [f] = await loadFundamentals(h.db, [sym], { fromMs: ts[lo], toMs: ts[hi] });
      expect(f.pe).toEqual(r.fundamentals.pe.slice(lo, hi + 1));
    }
    // Only after the last bar: nothing.
    const [none] = await loadBars(h.db, [sym], { fromMs: ts[BASE + TICKS - 1] + 1 });
    expect(none.close.length).toBe(0);
  });

  it("a second handle on the same database sees appends and compactions (cache keyed on the database's versions)", async () => {
    if (driver !== "postgres" || !h.url) return; // one PGlite folder is open in one process only
    const other = await createPg(h.url, { max: 2 });
    try {
      const sym = symbols[5];
      const [mine] = await loadBars(h.db, [sym]);
      await appendDemoBar(other.db);
      const [after] = await loadBars(h.db, [sym]);
      expect(after.close.length).toBe(mine.close.length + 1);
      const longer = generateDemoSeries(sym, { years: (BASE + TICKS + 1) / 252, seed: SEED });
      expect(after).toEqual(longer.series);
      await compactBarTails(other.db, { minRows: 1 });
      expect(await loadBars(h.db, [sym])).toEqual([longer.series]);
      expect((await loadFundamentals(h.db, [sym]))[0].eps).toEqual(longer.fundamentals.eps);
    } finally {
      await other.close();
    }
  });

  it("compaction folds every tail into the chunks and loads stay identical; later appends continue", async () => {
    const before = await loadBars(h.db, symbols);
    const beforeFund = await loadFundamentals(h.db, symbols);
    await appendDemoBar(h.db); // one more tick so every symbol has a tail
    const grown = await loadBars(h.db, symbols);
    expect(await compactBarTails(h.db, { minRows: 1, perTransaction: 3 })).toMatchObject({ symbols: 11 });
    expect(await tableCount(h, "market_bar_tail")).toBe(0);
    expect(await loadBars(h.db, symbols)).toEqual(grown);
    const fund = await loadFundamentals(h.db, symbols);
    fund.forEach((f, i) => expect(f.pe.subarray(0, beforeFund[i].pe.length)).toEqual(beforeFund[i].pe));
    expect(grown[0].close.length).toBe(before[0].close.length + 1);
    await appendDemoBar(h.db);
    const n = grown[0].close.length + 1;
    const longer = generateDemoSeries(symbols[0], { years: n / 252, seed: SEED });
    expect((await loadBars(h.db, [symbols[0]]))[0]).toEqual(longer.series);
  });

  it("appends real bars past a chunk boundary and compacts them into a new chunk", async () => {
    const start = BAR_CHUNK_SIZE - 2;
    await saveSeries(h.db, slice(orcl, 0, start), { source: "csv" });
    const [row] = await findSymbols(h.db, ["ORCL"]);
    for (let i = start; i < start + 5; i++) {
      const n = await appendBars(h.db, [
        {
          symbolId: row.id,
          timestampMs: orcl.timestampsMs[i],
          open: orcl.open[i],
          high: orcl.high[i],
          low: orcl.low[i],
          close: orcl.close[i],
          volume: orcl.volume[i],
        },
      ]);
      expect(n).toBe(1);
    }
    const want = slice(orcl, 0, start + 5);
    expect((await loadBars(h.db, ["ORCL"]))[0]).toEqual(want);
    // No fundamentals stored or appended: NaN throughout, bar for bar.
    expect(Array.from((await loadFundamentals(h.db, ["ORCL"]))[0].pe).every(Number.isNaN)).toBe(true);
    await compactBarTails(h.db, { minRows: 5 });
    expect((await loadBars(h.db, ["ORCL"]))[0]).toEqual(want);
    const chunks = (await h.db.execute(
      sql.raw(
        `select c.chunk, c.count from market_bar_chunk c join market_symbol s on s.id = c.symbol_id where s.symbol = 'ORCL' order by c.chunk`,
      ),
    )) as unknown as { rows: { chunk: number; count: number }[] };
    expect(chunks.rows.map((c) => [Number(c.chunk), Number(c.count)])).toEqual([
      [0, BAR_CHUNK_SIZE],
      [1, 3],
    ]);
    const fund = await loadFundamentals(h.db, ["ORCL"]);
    expect(fund[0].pe.length).toBe(start + 5);
  });

  it("skips a bar not later than the last one, rejects bad input, and forgets a rolled-back append", async () => {
    const [row] = await findSymbols(h.db, ["ORCL"]);
    const [bars] = await loadBars(h.db, ["ORCL"]);
    const lastIdx = bars.close.length - 1;
    const bar = {
      symbolId: row.id,
      timestampMs: bars.timestampsMs[lastIdx],
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 10,
    };
    expect(await appendBars(h.db, [bar])).toBe(0);
    await expect(appendBars(h.db, [{ ...bar, timestampMs: bar.timestampMs + 86_400_000, high: 0.9 }])).rejects.toThrow(
      /high/,
    );
    await expect(
      appendBars(h.db, [
        { ...bar, timestampMs: bar.timestampMs + 1 },
        { ...bar, timestampMs: bar.timestampMs + 2 },
      ]),
    ).rejects.toThrow(/more than one bar/);
    await expect(
      h.db.transaction(async (tx) => {
        expect(await appendBars(tx, [{ ...bar, timestampMs: bar.timestampMs + 86_400_000 }])).toBe(1);
        expect((await loadBars(tx, ["ORCL"]))[0].close.length).toBe(bars.close.length + 1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect((await loadBars(h.db, ["ORCL"]))[0]).toEqual(bars);
  });

  it("reports a symbol whose chunks changed since the caller planned the read", async () => {
    const [row] = await findSymbols(h.db, [symbols[0]]);
    const planned = { ...row, chunkVersion: row.chunkVersion - 1 };
    expect((await readTails(h.db, [planned])).changed).toEqual([row.id]);
    expect((await readTails(h.db, [row])).changed).toEqual([]);
  });
});
