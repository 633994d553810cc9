import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { parseBarsCsv } from "@/lib/data/csv";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { EXAMPLES } from "@/lib/sdk/examples";
import { ParamError } from "@/lib/sdk/params";
import { shutdownSandbox } from "@/server/sandbox";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import { runAlert } from "@/lib/modes/alert";
import { runBacktest } from "@/lib/modes/backtest";
import { localRunner } from "@/tests/helpers/local-runner";
import { compareRows, runScreen } from "@/lib/modes/screen";
import { EmptyRangeError } from "@/lib/modes/window";

afterAll(() => shutdownSandbox());

const goog = parseBarsCsv(readFileSync("../shared/data/GOOG.csv", "utf8"), { symbol: "GOOG" }).series;
const sma = EXAMPLES["sma-cross"].source;
const demo = generateDemoUniverse({ symbols: 30, years: 2 });
const universe = demo.symbols.map((d) => d.series);
const fundamentals = Object.fromEntries(demo.symbols.map((d) => [d.symbol, d.fundamentals]));

/** Bars where SMA(10) crosses above SMA(20), by a plain loop over `close`. */
function crossUps(close: Float64Array): number[] {
  const avg = (i: number, p: number) => {
    let s = 0;
    for (let j = i - p + 1; j <= i; j++) s += close[j];
    return s / p;
  };
  const out: number[] = [];
  for (let i = 20; i < close.length; i++) if (avg(i, 10) > avg(i, 20) && avg(i - 1, 10) <= avg(i - 1, 20)) out.push(i);
  return out;
}

const PEEK = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "peek",
  params: {},
  signals(bars) {
    const n = bars.close.length;
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    for (let i = 0; i < n - 1; i++) {
      entries[i] = bars.close[i + 1] > bars.close[i] ? 1 : 0;
      exits[i] = bars.close[i + 1] < bars.close[i] ? 1 : 0;
    }
    return { entries, exits };
  },
});
`;

describe("runBacktest", () => {
  it("fills each cross-up at the next bar's open and reports the seed's shape", async () => {
    const r = await runBacktest({ source: sma, universe: [goog], runner: localRunner, strategyId: 7 });
    const ups = crossUps(goog.close);
    const entryBars = [...r.engine.trades.map((t) => t.entry_bar), ...r.engine.open_positions.map((p) => p.entry_bar)];
    expect(entryBars).toEqual(ups.map((i) => i + 1));
    expect(r.engine.trades[0].entry_price, "next-open fill").toBe(goog.open[ups[0] + 1]);
    expect(r).toMatchObject({ success: true, strategy_id: 7, execution_mode: "backtest", trustworthy: true });
    expect(r.summary.total_instances).toBe(r.instances.length);
    expect(r.summary.date_range).toEqual(["2004-08-19", "2013-03-01"]);
    expect(r.performance_metrics.num_trades).toBe(r.engine.trades.length);
    expect(r.engine.equity).toHaveLength(goog.close.length);
    expect(r.look_ahead.usesFutureData).toBe(false);
  });

  it("warms indicators up on history before --from and simulates only inside [from, to]", async () => {
    const fromMs = Date.UTC(2008, 0, 1);
    const toMs = Date.UTC(2010, 11, 31);
    const r = await runBacktest({ source: sma, universe: [goog], runner: localRunner, fromMs, toMs });
    expect(r.summary.date_range).toEqual(["2008-01-02", "2010-12-31"]);
    const ts = goog.timestampsMs;
    const first = ts.findIndex((t) => t >= fromMs);
    const signalBars = crossUps(goog.close).filter(
      (i) => i >= first && ts[i] <= toMs && i + 1 < ts.length && ts[i + 1] <= toMs,
    );
    const entryTimes = [
      ...r.engine.trades.map((t) => t.entry_time),
      ...r.engine.open_positions.map((p) => p.entry_time),
    ];
    expect(entryTimes).toEqual(signalBars.map((i) => new Date(ts[i + 1]).toISOString()));
  });

  it("marks a strategy that reads the next bar as untrustworthy", async () => {
    const r = await runBacktest({ source: PEEK, universe: [goog], runner: localRunner });
    expect(r.trustworthy).toBe(false);
    expect(r.look_ahead).toMatchObject({ usesFutureData: true, symbol: "GOOG" });
    expect(r.warnings.join(" ")).toMatch(/uses future data/);
  });

  it("rejects unknown params and empty date ranges with typed errors", async () => {
    await expect(
      runBacktest({ source: sma, universe: [goog], runner: localRunner, params: { fats: 3 } }),
    ).rejects.toThrow(ParamError);
    await expect(
      runBacktest({ source: sma, universe: [goog], runner: localRunner, fromMs: Date.UTC(2020, 0, 1) }),
    ).rejects.toThrow(EmptyRangeError);
  });

  it("gives the same trades through the sandbox as in-process", async () => {
    const local = await runBacktest({
      source: sma,
      universe: universe.slice(0, 5),
      runner: localRunner,
      params: { short: true },
    });
    const sandboxed = await runBacktest({
      source: sma,
      universe: universe.slice(0, 5),
      runner: sandboxRunner,
      params: { short: true },
    });
    expect(sandboxed.engine.trades).toEqual(local.engine.trades);
    expect(sandboxed.performance_metrics).toEqual(local.performance_metrics);
  });
});

describe("runScreen", () => {
  it("lists entries first, then by score, with the latest bar's values", async () => {
    const r = await runScreen({
      source: EXAMPLES.breakout.source,
      universe,
      runner: localRunner,
      limit: 10,
      includeNonMatching: true,
    });
    expect(r.ranked_results).toHaveLength(10);
    expect(r.universe_size).toBe(30);
    expect(Object.keys(r.scores)).toHaveLength(30);
    for (let k = 1; k < r.ranked_results.length; k++)
      expect(compareRows(r.ranked_results[k - 1], r.ranked_results[k])).toBeLessThan(0);
    const top = r.ranked_results[0];
    const s = universe.find((u) => u.symbol === top.symbol);
    if (!s) throw new Error("screened symbol not in universe");
    const i = s.close.length - 1;
    let hh = -Infinity;
    for (let j = i - 20; j < i; j++) hh = Math.max(hh, s.high[j]);
    expect(top.current_price).toBe(s.close[i]);
    expect(top.score).toBeCloseTo((s.close[i] / hh - 1) * 100, 9);
    expect(top.signal).toBe(s.close[i] > hh);
    expect(top.data.stop_loss).not.toBeUndefined();
  });

  it("reads the same last-bar values from the default history window as from the full history", async () => {
    const long = generateDemoUniverse({ symbols: 10, years: 4 }).symbols.map((d) => d.series);
    const source = EXAMPLES["rsi-volume"].source;
    const windowed = await runScreen({ source, universe: long, runner: localRunner });
    const full = await runScreen({ source, universe: long, runner: localRunner, historyBars: Infinity });
    expect(windowed.ranked_results.map((r) => [r.symbol, r.signal])).toEqual(
      full.ranked_results.map((r) => [r.symbol, r.signal]),
    );
    for (const [symbol, score] of Object.entries(full.scores)) {
      if (score === null) expect(windowed.scores[symbol]).toBeNull();
      else expect(windowed.scores[symbol]).toBeCloseTo(score, 9);
    }
  });

  it("lists only symbols that pass by default; asked, the rest follow marked signal false; sector always set", async () => {
    const source = EXAMPLES.breakout.source;
    const all = await runScreen({ source, universe, runner: localRunner, limit: 30, includeNonMatching: true });
    const passing = all.ranked_results.filter((x) => x.signal).map((x) => x.symbol);
    expect(passing.length, "some but not all demo symbols break out today").toBeLessThan(20);
    const r = await runScreen({ source, universe, runner: localRunner, limit: 20 });
    expect(
      r.ranked_results.map((x) => x.symbol),
      "no symbol whose signal is false fills the list",
    ).toEqual(passing);
    expect(r.matches).toBe(passing.length);
    expect(
      all.ranked_results.slice(passing.length).every((x) => !x.signal),
      "the rest come after, marked",
    ).toBe(true);
    const sectors = Object.fromEntries(universe.map((u) => [u.symbol, fundamentals[u.symbol]?.sector ?? null]));
    const withSectors = await runScreen({
      source,
      universe,
      sectors,
      runner: localRunner,
      limit: 30,
      includeNonMatching: true,
    });
    for (const row of withSectors.ranked_results)
      expect(row.sector, `${row.symbol}: breakout asks for no fundamentals, the row still has its sector`).toBe(
        sectors[row.symbol],
      );
    expect(withSectors.ranked_results.every((x) => typeof x.sector === "string" && x.sector.length > 0)).toBe(true);
  });

  it("orders entries before higher scores and null scores last", () => {
    const rows = [
      { symbol: "B", signal: false, score: 9 },
      { symbol: "A", signal: true, score: 1 },
      { symbol: "C", signal: false, score: null },
      { symbol: "D", signal: false, score: 9 },
    ];
    expect(rows.sort(compareRows).map((r) => r.symbol)).toEqual(["A", "B", "D", "C"]);
  });

  it("passes fundamentals to a strategy that asks for them", async () => {
    const r = await runScreen({
      source: EXAMPLES["value-screen"].source,
      universe,
      fundamentals,
      runner: localRunner,
      params: { maxPe: 25, maxDebtToEquity: 2 },
      includeNonMatching: true,
    });
    const withScore = r.ranked_results.filter((x) => x.score !== null);
    expect(withScore.length, "P/E is known for demo symbols").toBeGreaterThan(0);
    expect(r.ranked_results[0].sector).toBeTruthy();
  });
});

describe("runAlert", () => {
  it("raises an alert for each entry in the newest bars, with its time and close", async () => {
    const r = await runAlert({ source: EXAMPLES.breakout.source, universe, runner: localRunner, newBars: 10 });
    expect(r.symbols_monitored).toBe(30);
    let expected = 0;
    for (const s of universe) {
      const n = s.close.length;
      for (let i = n - 10; i < n; i++) {
        let hh = -Infinity;
        for (let j = i - 20; j < i; j++) hh = Math.max(hh, s.high[j]);
        if (s.close[i] > hh) {
          expected++;
          const a = r.alerts.find((x) => x.symbol === s.symbol && x.bar_index === i);
          expect(a, `${s.symbol} bar ${i}`).toMatchObject({
            type: "entry",
            timestamp_ms: s.timestampsMs[i],
            data: { current_price: s.close[i] },
          });
        }
      }
      expect(r.signals[s.symbol].timestamp).toBe(new Date(s.timestampsMs[n - 1]).toISOString());
    }
    expect(r.alerts).toHaveLength(expected);
    expect(expected).toBeGreaterThan(0);
    for (let k = 1; k < r.alerts.length; k++)
      expect(r.alerts[k - 1].timestamp_ms).toBeGreaterThanOrEqual(r.alerts[k].timestamp_ms);
  });

  it("counts bars after sinceMs as new and adds exits only when asked", async () => {
    const ts = universe[0].timestampsMs;
    const sinceMs = ts[ts.length - 6];
    const five = await runAlert({ source: EXAMPLES.breakout.source, universe, runner: localRunner, newBars: 5 });
    const since = await runAlert({ source: EXAMPLES.breakout.source, universe, runner: localRunner, sinceMs });
    expect(since.alerts).toEqual(five.alerts);
    const withExits = await runAlert({
      source: EXAMPLES.breakout.source,
      universe,
      runner: localRunner,
      newBars: 5,
      includeExits: true,
    });
    const exits = Object.values(five.signals).reduce((s, x) => s + x.exits, 0);
    expect(withExits.alerts.length).toBe(five.alerts.length + exits);
  });
});
