import { describe, expect, it } from "vitest";
import { generateDemoSeries } from "@/lib/data/demo-universe";
import { resolveUniverse } from "@/lib/data/universes";
import { runImprove } from "@/lib/improve/loop";
import { appliedEdits, applyEdit, chooseEdit, offlineImproveModel } from "@/lib/improve/offline-model";
import { withDefaults } from "@/lib/improve/tuning";
import { EXAMPLES } from "@/lib/sdk/examples";
import { checkStrategySource } from "@/server/sandbox/check-source";
import { localRunner } from "../../helpers/local-runner";

const checkSource = (s: string) => {
  const c = checkStrategySource(s);
  return c.ok ? [] : c.errors.map((e) => `line ${e.line}: ${e.message}`);
};

describe("offline model edits", () => {
  it("wrap every example in a layer that passes the sandbox checks and declares its new params", async () => {
    for (const [name, ex] of Object.entries(EXAMPLES)) {
      let src = ex.source;
      for (const edit of ["trend_filter", "stop_target", "volume_confirmation", "time_exit"] as const) {
        const next = applyEdit(src, edit);
        expect(next, `${name} + ${edit}`).not.toBeNull();
        src = next!;
        expect(checkSource(src), `${name} + ${edit}`).toEqual([]);
      }
      expect(appliedEdits(src)).toEqual(["trend_filter", "stop_target", "volume_confirmation", "time_exit"]);
      const info = await localRunner.inspect(src);
      expect(Object.keys(info.params)).toEqual(
        expect.arrayContaining(["trendPeriod", "stopPct", "targetPct", "volumeConfirm", "maxHoldBars"]),
      );
    }
  });

  it("the trend filter only removes entries (never adds) and keeps entries above the SMA", async () => {
    const d = generateDemoSeries(resolveUniverse("demo-5", { seed: 42 })[0], { years: 2 });
    const src = EXAMPLES["sma-cross"].source;
    const filtered = applyEdit(src, "trend_filter")!;
    const input = [{ symbol: d.symbol, bars: { ...d.series, timestamps: d.series.timestampsMs } }];
    const [a] = await localRunner.signals(src, input, { fast: 10, slow: 20, short: false });
    const [b] = await localRunner.signals(filtered, input, { fast: 10, slow: 20, short: false, trendPeriod: 50 });
    let kept = 0;
    for (let i = 0; i < a.entries.length; i++) {
      if (b.entries[i]) expect(a.entries[i]).toBe(1);
      if (b.entries[i]) kept++;
    }
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(a.entries.reduce((s, x) => s + x, 0));
  });

  it("choose the edit from the largest failing gap, skipping applied and rejected ones", () => {
    const trades = { name: "num_trades" as const, value: 1, threshold: 10, gap: 9 };
    const sortino = { name: "sortino" as const, value: 1.5, threshold: 2, gap: 0.5 };
    expect(chooseEdit([sortino, trades], [], [])).toBe("time_exit");
    expect(chooseEdit([sortino], [], [])).toBe("stop_target");
    expect(chooseEdit([sortino], ["stop_target"], ["trend_filter"])).toBe("volume_confirmation");
    expect(chooseEdit([sortino], ["stop_target", "trend_filter", "volume_confirmation", "time_exit"], [])).toBeNull();
  });

  it("writes tuned values back as defaults only where the declaration is unique", () => {
    const src = EXAMPLES["rsi-volume"].source;
    const out = withDefaults(src, { rsiPeriod: 9, oversold: 27.5, missing: 3 });
    expect(out).toContain('rsiPeriod: { type: "int", min: 2, max: 50, default: 9,');
    expect(out).toContain("default: 27.5,");
    expect(out.split("\n").length).toBe(src.split("\n").length);
  });

  it("is deterministic and says what it changed and why", async () => {
    const syms = resolveUniverse("demo-5", { seed: 42 }).slice(0, 2);
    const data = syms.map((s) => generateDemoSeries(s, { years: 3 }));
    const run = () =>
      runImprove({
        source: EXAMPLES["sma-cross"].source,
        universe: data.map((d) => d.series),
        runner: localRunner,
        model: offlineImproveModel(),
        checkSource,
        iterations: 2,
        trialsPerIteration: 3,
        clock: { now: () => 0 },
      });
    const [a, b] = [await run(), await run()];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    for (const it of a.iterations) {
      expect(it.patch?.summary).toMatch(/^added a (trend filter|stop-loss|volume confirmation|time exit)/);
      expect(it.patch?.rationale.length).toBeGreaterThan(20);
      expect(it.diff).toMatch(/^\+\/\/ improve:/m);
    }
  });

  it("improves a fundamentals strategy: fundamentals are cut with the bars at the holdout and the study's train end", async () => {
    const syms = resolveUniverse("demo-5", { seed: 42 }).slice(0, 3);
    const data = syms.map((s) => generateDemoSeries(s, { years: 3 }));
    const r = await runImprove({
      source: EXAMPLES["value-screen"].source,
      universe: data.map((d) => d.series),
      fundamentals: Object.fromEntries(data.map((d) => [d.symbol, d.fundamentals])),
      runner: localRunner,
      model: offlineImproveModel(),
      checkSource,
      iterations: 1,
      trialsPerIteration: 2,
      clock: { now: () => 0 },
    });
    expect(r.iterations).toHaveLength(1);
    expect(r.iterations[0].checks.passed).toBe(true);
    expect(r.iterations[0].study?.n_trials).toBe(2);
    expect(r.best.holdout.metrics).not.toBeNull();
  });
});
