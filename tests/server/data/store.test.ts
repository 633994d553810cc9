import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBarsCsv } from "@/lib/data/csv";
import { demoSymbolNames, generateDemoSeries } from "@/lib/data/demo-universe";
import { ensureDemoUniverse } from "@/server/data/demo";
import { scanUniverse } from "@/server/data/scan";
import { BAR_CHUNK_SIZE, loadBars, loadFundamentals, saveManySeries, saveSeries } from "@/server/data/store";
import { marketSymbols } from "@/server/db/schema";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";

const orcl = parseBarsCsv(readFileSync("../shared/data/orcl-1995-2014.csv", "utf8"), { symbol: "ORCL" }).series;

describe.each(DRIVERS)("market data store on %s", (driver) => {
  let h: TestDatabase;
  beforeAll(async () => {
    h = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("round-trips a multi-chunk real series exactly, and loads a date range", async () => {
    expect(orcl.close.length).toBeGreaterThan(BAR_CHUNK_SIZE);
    await saveSeries(h.db, orcl, { source: "csv", name: "Oracle" });
    const [back] = await loadBars(h.db, ["ORCL"]);
    expect(back.timestampsMs).toEqual(orcl.timestampsMs);
    expect(back.close).toEqual(orcl.close);
    expect(back.volume).toEqual(orcl.volume);
    const from = Date.UTC(2010, 0, 1),
      to = Date.UTC(2010, 11, 31);
    const [year] = await loadBars(h.db, ["ORCL"], { fromMs: from, toMs: to });
    const expected = orcl.timestampsMs.filter((t) => t >= from && t <= to);
    expect(Array.from(year.timestampsMs)).toEqual(Array.from(expected));
  });

  it("writes nothing when one series in the batch is invalid", async () => {
    const good = generateDemoSeries(demoSymbolNames(42, 1)[0].symbol, { years: 1 }).series;
    const bad = { ...good, symbol: "BAD", high: good.high.map((x, i) => (i === 7 ? 0.0001 : x)) };
    await expect(
      saveManySeries(h.db, [
        { series: { ...good, symbol: "GOOD1" }, meta: { source: "csv" } },
        { series: bad, meta: { source: "csv" } },
      ]),
    ).rejects.toThrow(/BAD: bar 7/);
    await expect(loadBars(h.db, ["GOOD1"])).rejects.toThrow(/No data for symbol\(s\) GOOD1/);
  });

  it("lets a workspace's import shadow the shared symbol of the same name", async () => {
    const ws = "00000000-0000-4000-8000-000000000001";
    const mine = {
      ...orcl,
      close: orcl.close.slice(0, 10),
      timestampsMs: orcl.timestampsMs.slice(0, 10),
      open: orcl.open.slice(0, 10),
      high: orcl.high.slice(0, 10),
      low: orcl.low.slice(0, 10),
      volume: orcl.volume.slice(0, 10),
    };
    await saveSeries(h.db, mine, { source: "csv", workspaceId: ws });
    expect((await loadBars(h.db, ["ORCL"], { workspaceId: ws }))[0].close.length).toBe(10);
    expect((await loadBars(h.db, ["ORCL"]))[0].close.length).toBe(orcl.close.length);
  });

  it("writes the demo universe once, loads aligned bars and fundamentals, and scans with filters", async () => {
    const first = await ensureDemoUniverse(h.db, { symbols: 22, years: 1, seed: 3 });
    const again = await ensureDemoUniverse(h.db, { symbols: 22, years: 1, seed: 3 });
    expect([first.created, again.created]).toEqual([true, false]);
    const all = await scanUniverse(h.db, "demo-22");
    expect(all.length).toBe(22);
    expect(all.every((r) => r.synthetic)).toBe(true);
    const sym = all[4].symbol;
    const ref = generateDemoSeries(sym, { years: 1, seed: 3 });
    const [bars] = await loadBars(h.db, [sym]);
    const [fund] = await loadFundamentals(h.db, [sym]);
    expect(bars.close).toEqual(ref.series.close);
    expect(fund.pe).toEqual(ref.fundamentals.pe);
    expect(fund.sector).toBe(ref.sector);
    const cheap = await scanUniverse(h.db, "demo-22", { maxPrice: 50 });
    expect(cheap.map((r) => r.symbol)).toEqual(all.filter((r) => (r.lastClose ?? Infinity) <= 50).map((r) => r.symbol));
    const tech = await scanUniverse(h.db, "demo-tech");
    expect(tech.length).toBe(2);
    const rows = await h.db.select({ n: marketSymbols.symbol }).from(marketSymbols);
    expect(rows.length).toBe(22 + 1 + 1);
    const replaced = await ensureDemoUniverse(h.db, { symbols: 11, years: 1, seed: 3 });
    expect(replaced.created).toBe(true);
    expect((await h.db.select({ n: marketSymbols.symbol }).from(marketSymbols)).length).toBe(11 + 2);
  });
});
