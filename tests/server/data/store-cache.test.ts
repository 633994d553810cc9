/**
 * The in-process chunk cache behind loadBars/loadFundamentals never serves stale or
 * uncommitted data: a re-save, a live-feed append and a rolled-back transaction are all seen
 * correctly, and callers get their own copies.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBarsCsv } from "@/lib/data/csv";
import { generateDemoSeries } from "@/lib/data/demo-universe";
import { appendDemoBar } from "@/server/alerts/demo-feed";
import { clearChunkCache } from "@/server/data/chunk-reader";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { loadBars, loadFundamentals, saveSeries } from "@/server/data/store";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-db";

const nvda = parseBarsCsv(readFileSync("../shared/data/nvda-1999-2014.csv", "utf8"), { symbol: "NVDA" }).series;
const head = (n: number) => ({
  ...nvda,
  timestampsMs: nvda.timestampsMs.slice(0, n),
  open: nvda.open.slice(0, n),
  high: nvda.high.slice(0, n),
  low: nvda.low.slice(0, n),
  close: nvda.close.slice(0, n),
  volume: nvda.volume.slice(0, n),
});

describe("chunk cache", () => {
  let h: TestDatabase;
  beforeAll(async () => {
    h = await createTestDatabase("pglite");
    clearChunkCache();
  });
  afterAll(async () => h?.close());

  it("re-reads a symbol after it is saved again, and hands out copies", async () => {
    await saveSeries(h.db, head(100), { source: "csv" });
    const [a] = await loadBars(h.db, ["NVDA"]);
    expect(a.close.length).toBe(100);
    a.close[0] = -1; // a caller scribbling on its copy
    const [b] = await loadBars(h.db, ["NVDA"]);
    expect(b.close[0]).toBe(nvda.close[0]);
    await saveSeries(h.db, head(200), { source: "csv" });
    const [c] = await loadBars(h.db, ["NVDA"]);
    expect(c.close.length).toBe(200);
    expect(c.close).toEqual(nvda.close.slice(0, 200));
  });

  it("neither serves nor keeps data of a transaction that rolls back", async () => {
    await loadBars(h.db, ["NVDA"]); // cached: 200 bars
    await expect(
      h.db.transaction(async (tx) => {
        await saveSeries(tx, head(300), { source: "csv" });
        expect((await loadBars(tx, ["NVDA"]))[0].close.length).toBe(300);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect((await loadBars(h.db, ["NVDA"]))[0].close.length).toBe(200);
  });

  it("sees bars the live feed appends, with their fundamentals", async () => {
    await ensureDemoUniverse(h.db, { symbols: 11, years: 1, seed: 9 });
    const [sym] = await getUniverseSymbols(h.db, "demo-11");
    const [before] = await loadBars(h.db, [sym]);
    await loadFundamentals(h.db, [sym]);
    const appended = await appendDemoBar(h.db);
    expect(appended?.symbols).toBe(11);
    const [after] = await loadBars(h.db, [sym]);
    const [fund] = await loadFundamentals(h.db, [sym]);
    expect(after.close.length).toBe(before.close.length + 1);
    expect(after.timestampsMs[after.close.length - 1]).toBe(appended?.timestampMs);
    // The appended bar is the next bar of the same seeded model (a longer batch generation).
    const longer = generateDemoSeries(sym, { years: (before.close.length + 1) / 252, seed: 9 });
    expect(longer.series.close.length).toBe(before.close.length + 1);
    expect(after.close[after.close.length - 1]).toBe(longer.series.close[before.close.length]);
    expect(fund.pe.length).toBe(after.close.length);
  });
});

describe("PGlite binary reader", () => {
  it("returns raw bytea and int4 values, NULLs, and database errors as PgliteWireError", async () => {
    const { createPglite } = await import("@/server/db/client");
    const { isPgliteLike, queryBinary, readInt4, PgliteWireError } = await import("@/server/data/pglite-binary");
    const h = await createPglite(null);
    try {
      const client = (h.db as unknown as { $client: unknown }).$client;
      if (!isPgliteLike(client)) throw new Error("expected the PGlite binary path");
      const rows = await queryBinary(client, "select $1::int4, decode($2, 'hex'), null::bytea", ["-7", "00ff10"]);
      expect(readInt4(rows[0][0])).toBe(-7);
      expect(Array.from(rows[0][1] ?? [])).toEqual([0, 255, 16]);
      expect(rows[0][2]).toBeNull();
      await expect(queryBinary(client, "select * from no_such_table", [])).rejects.toThrow(
        new PgliteWireError('relation "no_such_table" does not exist'),
      );
      // The connection is still usable after an error, by this path and by drizzle's.
      const again = await queryBinary(client, "select 42::int4", []);
      expect(readInt4(again[0][0])).toBe(42);
      const { sql } = await import("drizzle-orm");
      expect(await h.db.execute(sql`select 1 as one`)).toMatchObject({ rows: [{ one: 1 }] });
    } finally {
      await h.close();
    }
  });
});

describe("loadAlignedBars", () => {
  it("equals aligning loadBars, for symbols on different calendars", async () => {
    const { alignSeries } = await import("@/lib/data/align");
    const { loadAlignedBars } = await import("@/server/data/store");
    const h = await createTestDatabase("pglite");
    try {
      const goog = parseBarsCsv(readFileSync("../shared/data/GOOG.csv", "utf8"), { symbol: "GOOG" }).series;
      await saveSeries(h.db, head(3000), { source: "csv" });
      // Every 7th GOOG bar dropped: a calendar that differs from NVDA's, so filling happens.
      const keep = (a: Float64Array) => a.filter((_, i) => i % 7 !== 3);
      const gappy = {
        symbol: "GAPPY",
        timestampsMs: keep(goog.timestampsMs),
        open: keep(goog.open),
        high: keep(goog.high),
        low: keep(goog.low),
        close: keep(goog.close),
        volume: keep(goog.volume),
      };
      await saveSeries(h.db, gappy, { source: "csv" });
      const opts = { fromMs: Date.UTC(2005, 0, 1), toMs: Date.UTC(2008, 0, 1) };
      const expected = alignSeries(await loadBars(h.db, ["NVDA", "GAPPY"], opts));
      const got = await loadAlignedBars(h.db, ["NVDA", "GAPPY"], opts);
      expect(got).toEqual(expected);
      expect(got.present[1].includes(0)).toBe(true);
      expect(got.close[0].length).toBe(got.timestampsMs.length);
    } finally {
      await h.close();
    }
  });
});
