/**
 * The demo live feed appends one bar to every demo symbol while backtests read the universe: a
 * reader must see each tick whole (every symbol with the new bar, or none), so a backtest never
 * fails with "has N bars but X has N+1", and fundamentals always line up with the bars.
 * Backtests run in a loop while the feed ticks as fast as it can, on PGlite and on Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import { runBacktest } from "@/lib/modes/backtest";
import { appendDemoBar } from "@/server/alerts/demo-feed";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { loadRunBars } from "@/server/jobs/bars";
import { localRunner } from "../../helpers/local-runner";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";

const SYMBOLS = 230; // more than one read batch (100 symbols) of the tail reader

describe.each(DRIVERS)("live feed ticks during backtests (%s)", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    await ensureDemoUniverse(t.db, { symbols: SYMBOLS, years: 1 });
  }, 120_000);
  afterAll(async () => t?.close());

  it("every backtest sees whole ticks and succeeds", async () => {
    const symbols = await getUniverseSymbols(t.db, `demo-${SYMBOLS}`);
    let ticking = true;
    let ticks = 0;
    const feed = (async () => {
      while (ticking) {
        await appendDemoBar(t.db);
        ticks++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const failures: string[] = [];
    const lengths = new Set<string>();
    let runs = 0;
    try {
      const end = Date.now() + 8_000;
      while (Date.now() < end || ticks < 5) {
        const data = await loadRunBars(t.db, "", symbols, { fundamentals: true });
        const n = data.universe[0].close.length;
        const odd = data.universe.filter((s) => s.close.length !== n || data.fundamentals[s.symbol].pe.length !== n);
        lengths.add(String(n));
        if (odd.length > 0)
          failures.push(
            `run ${runs}: ${odd[0].symbol} has ${odd[0].close.length} bars / ${data.fundamentals[odd[0].symbol].pe.length} fundamentals, ${data.universe[0].symbol} has ${n}`,
          );
        try {
          await runBacktest({
            source: EXAMPLES["sma-cross"].source,
            universe: data.universe,
            fundamentals: data.fundamentals,
            runner: localRunner,
            lookAhead: false,
          });
        } catch (err) {
          failures.push(`run ${runs}: ${err instanceof Error ? err.message : String(err)}`);
        }
        runs++;
        // A short pause, as between real runs (PGlite's query lock is not fair to a waiting writer).
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      ticking = false;
      await feed;
    }
    expect(failures, `${runs} backtests during ${ticks} ticks`).toEqual([]);
    expect(ticks, "the feed ticked during the runs").toBeGreaterThanOrEqual(5);
    expect(lengths.size, "the runs saw several ticks").toBeGreaterThan(1);
  }, 120_000);
});

describe.each(DRIVERS)("live feed ticks while the demo universe is first written (%s)", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  it("appends nothing until the universe is complete, then to every symbol alike", async () => {
    let written = false;
    const writing = ensureDemoUniverse(t.db, { symbols: 120, years: 1 }).then(() => (written = true));
    let ticks = 0;
    while (!written) {
      if (await appendDemoBar(t.db)) ticks++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await writing;
    // A tick may land between the writer's commit and its promise settling; that one is
    // legitimate (the universe is whole). A tick on a half-written universe would leave the
    // symbols written after it one bar short, so every symbol must carry 252 + every tick.
    expect(ticks, "at most the tick racing the writer's last step").toBeLessThanOrEqual(1);
    expect(await appendDemoBar(t.db), "the complete universe ticks").not.toBeNull();
    const data = await loadRunBars(t.db, "", await getUniverseSymbols(t.db, "demo-120"), {});
    expect(new Set(data.universe.map((s) => s.close.length)), "every symbol has the same bars").toEqual(
      new Set([252 + 1 + ticks]),
    );
  }, 120_000);
});
