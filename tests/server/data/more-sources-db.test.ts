/**
 * The more-sources data end to end on PGlite, with provider answers from fixtures in their
 * documented shape: a hydration with fundamentals (Alpha Vantage OVERVIEW + EARNINGS) stores them
 * with the symbol's bars and a `fundamentals: true` strategy backtests on them; a limit answer
 * fails the symbol with the reason and writes nothing; a FRED series hydrated into the workspace
 * is read by a strategy that declares it in `macro`, in a backtest (the run's loader and the
 * mode), and through the real sandbox; a series not loaded is named with the command to load it.
 */
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run as dataCli } from "@/server/cli/commands/data";
import { setDatabaseForTests } from "@/server/db";
import { runBacktest } from "@/lib/modes/backtest";
import { marketSymbols } from "@/server/db/schema";
import { createHydration, hydrateBatch, hydrationResults, type HydrateBatchJob } from "@/server/data/hydrate";
import { hydrateMacroSeries, listMacroSeries } from "@/server/data/macro";
import { planHydrateRun } from "@/server/services/hydrations";
import { hydrateSettingsSchema } from "@/lib/schemas/runs";
import { createAlphaVantageProviders, createFredProvider, type FetchLike } from "@/server/data/providers";
import { loadRunBars } from "@/server/jobs/bars";
import { runStrategySignals, inspectStrategy, shutdownSandbox } from "@/server/sandbox";
import { saveSeries } from "@/server/data/store";
import { callerFor, seedWorkspace, type SeededWorkspace } from "../../helpers/fixtures";
import { localRunner } from "../../helpers/local-runner";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-db";

const fixture = (name: string) => readFileSync(`tests/fixtures/providers/${name}`, "utf8");
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const QUICK = { bucketCapacity: 100, refillPerSecond: 100, cacheTtlMs: 0, maxAttempts: 1 };

/** Alpha Vantage by `function` and symbol: IBM answers from fixtures, LIMITED hits the free tier's limit on OVERVIEW. */
const alphaVantageFetch: FetchLike = async (url) => {
  const q = new URL(url).searchParams;
  const fn = q.get("function");
  if (fn === "TIME_SERIES_DAILY") return new Response(fixture("alphavantage-daily-ibm.json"));
  if (q.get("symbol") === "LIMITED") return new Response(fixture("alphavantage-note.json"));
  if (fn === "OVERVIEW") return new Response(fixture("alphavantage-overview-ibm.json"));
  if (fn === "EARNINGS") return new Response(fixture("alphavantage-earnings-ibm.json"));
  throw new Error(`unexpected ${url}`);
};

const VALUE = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "Known P/E",
  params: {},
  fundamentals: true,
  signals(bars) {
    const n = bars.close.length;
    const entries = new Uint8Array(n);
    for (let i = 0; i < n; i++) entries[i] = bars.pe[i] > 0 ? 1 : 0;
    return { entries, exits: new Uint8Array(n) };
  },
});`;

const RATES = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "Rates above 4%",
  params: {},
  macro: ["DGS10"],
  signals(bars) {
    const n = bars.close.length;
    const rate = bars.macro.DGS10;
    const entries = new Uint8Array(n);
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      entries[i] = rate[i] > 4 ? 1 : 0;
      score[i] = rate[i];
    }
    return { entries, exits: new Uint8Array(n), score };
  },
});`;

describe("more sources, stored and used by strategies", () => {
  let h: TestDatabase;
  let ws: SeededWorkspace;
  beforeAll(async () => {
    h = await createTestDatabase("pglite");
    ws = await seedWorkspace(h.db);
  });
  afterAll(async () => {
    shutdownSandbox();
    await h?.close();
  });

  it("hydrate --fundamentals stores Alpha Vantage fundamentals with the bars; a limit answer fails the symbol whole", async () => {
    const { stocks } = createAlphaVantageProviders({ apiKey: "k", fetch: alphaVantageFetch, resilience: QUICK });
    const jobs: HydrateBatchJob[] = [];
    const { hydrationId } = await createHydration(h.db, async (j) => void jobs.push(...j), [stocks], {
      workspaceId: ws.workspaceId,
      provider: "alphavantage",
      symbols: ["IBM", "LIMITED"],
      fromMs: day("2024-01-01"),
      toMs: day("2024-12-31"),
      fundamentals: true,
    });
    for (const job of jobs) await hydrateBatch(h.db, [stocks], job);
    // A hydrate run (REST `mode: "hydrate"`, the data page) asks for them with `fundamentals: true`;
    // a provider that publishes none loads bars only.
    const settings = hydrateSettingsSchema.parse({ provider: "alphavantage", symbols: ["IBM"], fundamentals: true });
    expect((await planHydrateRun(ws.workspaceId, settings, day("2024-12-31"), [stocks])).fundamentals).toBe(true);
    const { fx } = createAlphaVantageProviders({ apiKey: "k", fetch: alphaVantageFetch, resilience: QUICK });
    const fxSettings = hydrateSettingsSchema.parse({
      provider: "alphavantage-fx",
      symbols: ["EURUSD"],
      fundamentals: true,
    });
    expect((await planHydrateRun(ws.workspaceId, fxSettings, day("2024-12-31"), [fx])).fundamentals).toBe(false);
    const results = await hydrationResults(h.db, hydrationId);
    expect(results.map((r) => [r.symbol, r.status, r.bars])).toEqual([
      ["IBM", "ok", 6],
      ["LIMITED", "error", 0],
    ]);
    expect(results[1].reason).toMatch(/LIMITED: request limit reached: Thank you for using Alpha Vantage/);
    const limited = await h.db.select().from(marketSymbols).where(eq(marketSymbols.symbol, "LIMITED"));
    expect(limited, "nothing half-written").toEqual([]);

    const data = await loadRunBars(h.db, ws.workspaceId, ["IBM"], { fundamentals: true });
    const f = data.fundamentals.IBM;
    expect(f.sector).toBe("Technology");
    expect(f.eps[1]).toBeNaN();
    expect(f.eps[2]).toBeCloseTo(2.18 + 2.2 + 3.87 + 1.68, 10);
    expect(f.marketCap[4]).toBeCloseTo(191.98 * 922_000_000, 0);
    const [row] = await h.db.select().from(marketSymbols).where(eq(marketSymbols.symbol, "IBM"));
    expect([row.sector, row.revenue]).toEqual(["Technology", 62_363_000_000]);

    // The strategy enters on the first bar whose P/E is known (2024-04-25), filled at the next bar's open.
    const result = await runBacktest({
      source: VALUE,
      universe: data.universe,
      fundamentals: data.fundamentals,
      runner: localRunner,
    });
    expect(result.engine.open_positions[0]).toMatchObject({
      symbol: "IBM",
      entry_time: "2024-07-24T00:00:00.000Z",
      entry_price: 184,
    });
  });

  it("a FRED series loaded into the workspace is a strategy input, aligned to each symbol's bars", async () => {
    const fred = createFredProvider({
      apiKey: "k",
      fetch: async (url) =>
        new URL(url).searchParams.get("series_id") === "DGS10"
          ? new Response(fixture("fred-observations-dgs10.json"))
          : new Response(fixture("fred-error-unknown-series.json"), { status: 400 }),
      resilience: QUICK,
    });
    const outcomes = await hydrateMacroSeries(h.db, fred, ["DGS10", "NOPE"], ws.workspaceId);
    expect(outcomes.map((o) => [o.symbol, o.status, o.bars])).toEqual([
      ["DGS10", "ok", 6],
      ["NOPE", "error", 0],
    ]);
    expect(outcomes[1].reason).toMatch(/The series does not exist/);
    expect((await listMacroSeries(h.db, ws.workspaceId)).map((s) => s.seriesId)).toEqual(["DGS10"]);
    expect(await listMacroSeries(h.db, null), "another scope does not see it").toEqual([]);
    // The data page lists them (tRPC data.macroSeries); another workspace sees none.
    const listed = await callerFor(h.db, ws.users.viewer).data.macroSeries({ workspaceId: ws.workspaceId });
    expect(listed.map((m) => [m.seriesId, m.count, m.lastMs])).toEqual([["DGS10", 6, day("2024-01-10")]]);
    expect(await callerFor(h.db, ws.outsider).data.macroSeries({ workspaceId: ws.otherWorkspaceId })).toEqual([]);
    const sources = await callerFor(h.db, ws.users.viewer).data.sources({ workspaceId: ws.workspaceId });
    expect(sources.map((r) => r.name)).toContain("fred");

    // A symbol trading 2024-01-02 … 01-11 (weekdays), closes 100, 101, ….
    const days = [
      "2024-01-02",
      "2024-01-03",
      "2024-01-04",
      "2024-01-05",
      "2024-01-08",
      "2024-01-09",
      "2024-01-10",
      "2024-01-11",
    ];
    const col = (f: (i: number) => number) => Float64Array.from(days, (_, i) => f(i));
    await saveSeries(
      h.db,
      {
        symbol: "RATESENS",
        timestampsMs: Float64Array.from(days.map(day)),
        open: col((i) => 100 + i),
        high: col((i) => 101 + i),
        low: col((i) => 99 + i),
        close: col((i) => 100.5 + i),
        volume: col(() => 1000),
      },
      { source: "csv", workspaceId: ws.workspaceId },
    );
    const data = await loadRunBars(h.db, ws.workspaceId, ["RATESENS"], { macro: ["DGS10"] });
    // DGS10 values become known the day after publication: 4.05 (for 01-05, published 01-08) on 01-09.
    const result = await runBacktest({
      source: RATES,
      universe: data.universe,
      macro: data.macro,
      runner: localRunner,
    });
    expect(result.engine.open_positions[0]).toMatchObject({ entry_time: "2024-01-10T00:00:00.000Z", entry_price: 106 });
    expect(result.look_ahead.usesFutureData).toBe(false);
    expect(result.warnings.join(" ")).not.toMatch(/macro/);
    // Run without the series (the command line reads no database): NaN inputs, named in a warning.
    const bare = await runBacktest({ source: RATES, universe: data.universe, runner: localRunner });
    expect(bare.engine.open_positions).toEqual([]);
    expect(bare.warnings).toContain(
      "the strategy reads macro series DGS10, which were not loaded; it sees NaN there (load them with `data hydrate --provider fred`)",
    );

    // The same through the real sandbox: the declaration is read there, the columns cross into the isolate.
    expect((await inspectStrategy(RATES)).macro).toEqual(["DGS10"]);
    const bars = data.universe[0];
    const [sig] = await runStrategySignals(
      RATES,
      [
        {
          symbol: "RATESENS",
          bars: {
            open: bars.open,
            high: bars.high,
            low: bars.low,
            close: bars.close,
            volume: bars.volume,
            timestamps: bars.timestampsMs,
            macro: { DGS10: Float64Array.from([NaN, NaN, 3.95, 3.91, 3.99, 4.05, 4.01, 4.02]) },
          },
        },
      ],
      {},
    );
    expect(Array.from(sig.entries)).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(sig.score ?? [])).toEqual([NaN, NaN, 3.95, 3.91, 3.99, 4.05, 4.01, 4.02]);

    // The CLI: `data hydrate --provider fred` stores series at once and reports each; without FRED_API_KEY it names it.
    const MACRO = Symbol.for("strategy-lab.macro-provider");
    const g = globalThis as Record<symbol, unknown>;
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((t) => (out.push(String(t)), true));
    try {
      g[MACRO] = fred;
      setDatabaseForTests({ ...h, close: async () => {} });
      const code = await dataCli(["hydrate", "--provider", "fred", "--symbols", "dgs10,NOPE", "--json"]);
      expect(code, "one series failed").toBe(1);
      expect(JSON.parse(out.join(""))).toMatchObject({
        provider: "fred",
        total: 2,
        ok: 1,
        error: 1,
        results: [
          { symbol: "DGS10", status: "ok", bars: 6 },
          { symbol: "NOPE", status: "error" },
        ],
      });
      expect(
        (await listMacroSeries(h.db, null)).map((s) => s.seriesId),
        "stored as shared data",
      ).toEqual(["DGS10"]);
      g[MACRO] = null;
      await expect(dataCli(["hydrate", "--provider", "fred", "--symbols", "DGS10"])).rejects.toThrow(
        /"fred" is not configured: set FRED_API_KEY/,
      );
      g[MACRO] = fred;
      await expect(dataCli(["hydrate", "--provider", "fred", "--symbols", "DGS-10"])).rejects.toThrow(
        /"DGS-10" is not a FRED series id/,
      );
      await expect(dataCli(["hydrate", "--provider", "fred", "--all"])).rejects.toThrow(/name them with --symbols/);
    } finally {
      delete g[MACRO];
      vi.restoreAllMocks();
    }

    await expect(loadRunBars(h.db, ws.workspaceId, ["RATESENS"], { macro: ["UNRATE"] })).rejects.toThrow(
      /macro series UNRATE, which this workspace has not loaded: run `npm run lab -- data hydrate --provider fred --symbols UNRATE`/,
    );
  });
});
