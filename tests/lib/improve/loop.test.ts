import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { failedConstraints, relativeImprovement } from "@/lib/improve/constraints";
import { runImprove, type ImproveEvent } from "@/lib/improve/loop";
import { IMPROVE_STAGES, type ImproveModel, type Patch } from "@/lib/improve/types";
import type { StrategyRunner } from "@/lib/modes/runner";
import { checkStrategySource } from "@/server/sandbox/check-source";
import { localRunner } from "../../helpers/local-runner";
import { BROKEN, FLAT, HOLD, IMPORTS, N, PARTIAL, PROCESS, rising } from "../../fixtures/improve-strategies";

const checkSource = (s: string) => {
  const c = checkStrategySource(s);
  return c.ok ? [] : c.errors.map((e) => `line ${e.line}: ${e.message}`);
};

function scripted(sources: string[], repair?: (src: string) => string): ImproveModel & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    id: "test:scripted",
    prompts,
    async propose(req): Promise<Patch> {
      prompts.push(req.prompt);
      const source = sources[req.iteration - 1];
      if (source === undefined) throw new Error("script exhausted");
      return { source, summary: `scripted ${req.iteration}`, rationale: "test" };
    },
    ...(repair
      ? { repair: async (req) => ({ source: repair(req.source), summary: "repaired", rationale: "test" }) }
      : {}),
  };
}

const base = { universe: [rising()], runner: localRunner, checkSource, clock: { now: () => 0 }, trialsPerIteration: 3 };

describe("acceptance thresholds", () => {
  const t = { minReturn: 0.5, minSortino: 2, minTrades: 3, minWinRate: 0.5 };
  it("are inclusive: a return of exactly 0.5 and a Sortino of exactly 2 pass, 0.49 and 1.99 fail", () => {
    expect(failedConstraints({ total_return_pct: 50, sortino: 2, num_trades: 3, win_rate_pct: 50 }, t)).toEqual([]);
    const f = failedConstraints({ total_return_pct: 49, sortino: 1.99, num_trades: 2, win_rate_pct: 49.9 }, t);
    expect(f.map((c) => c.name)).toEqual(["total_return", "sortino", "num_trades", "win_rate"]);
    expect(f[0].value).toBeCloseTo(0.49, 12);
    expect(f[0].gap).toBeCloseTo(0.01, 12);
    expect(f[1].gap).toBeCloseTo(0.01, 12);
    expect(f[2]).toEqual({ name: "num_trades", value: 2, threshold: 3, gap: 1 });
  });
  it("fail an undefined value with a null gap; min trades and win rate 0 are no constraint", () => {
    const f = failedConstraints(
      { total_return_pct: 0, sortino: null, num_trades: 0, win_rate_pct: null },
      { ...t, minTrades: 0, minWinRate: 0 },
    );
    expect(f).toEqual([
      { name: "total_return", value: 0, threshold: 0.5, gap: 0.5 },
      { name: "sortino", value: null, threshold: 2, gap: null },
    ]);
  });
  it("measure improvement relative to |previous|, absolute below 1", () => {
    expect(relativeImprovement(2.2, 2)).toBeCloseTo(0.1, 12);
    expect(relativeImprovement(0.55, 0.5)).toBeCloseTo(0.05, 12);
    expect(relativeImprovement(1, null)).toBe(Infinity);
    expect(relativeImprovement(null, 1)).toBeNull();
  });
});

describe("runImprove with a scripted model", () => {
  it("stops when the thresholds are met at iteration 2: two iterations, stages in order, met", async () => {
    const events: ImproveEvent[] = [];
    const r = await runImprove({
      ...base,
      source: FLAT,
      model: scripted([FLAT.replace('"flat"', '"flat 2"'), HOLD, HOLD]),
      thresholds: { minReturn: 0.3, minSortino: 1 },
      onEvent: (e) => void events.push(e),
    });
    expect(r.iterations.map((i) => i.n)).toEqual([1, 2]);
    expect(r.status).toBe("met");
    expect(r.stop_reason).toBe("met");
    expect(r.best.iteration).toBe(2);
    expect(r.iterations[0].accepted).toBe(false);
    expect(r.iterations[1].accepted).toBe(true);
    expect(r.unmet_constraints).toEqual([]);
    for (const it of r.iterations) {
      expect(it.stages).toEqual([...IMPROVE_STAGES]);
      const streamed = events
        .filter((e) => e.type === "stage" && e.iteration === it.n)
        .map((e) => (e as { stage: string }).stage);
      expect(streamed, "stage events of every iteration arrive in order").toEqual([...IMPROVE_STAGES]);
    }
    expect(r.iterations[1].diff).toContain('+  name: "hold"');
    expect(r.iterations[1].base_version, "iteration 2 starts from the original (iteration 1 was rejected)").toBeNull();
    // the best's holdout metrics sit beside its validation metrics, on disjoint periods
    expect(r.best.validation.metrics?.total_return_pct).toBeGreaterThanOrEqual(30);
    expect(r.best.holdout.metrics?.total_return_pct).toBeGreaterThan(0);
    expect((r.best.holdout.period?.from ?? "") > (r.best.validation.period?.to ?? "~")).toBe(true);
  });

  it("reports the best iteration by validation, not the last; bad patches are rejected and recorded without ending the loop", async () => {
    const model = scripted([FLAT, HOLD, BROKEN, IMPORTS, PROCESS, PARTIAL]);
    const r = await runImprove({
      ...base,
      source: PARTIAL,
      model,
      iterations: 5,
      thresholds: { minReturn: 5, minSortino: 1 },
    });
    expect(r.iterations).toHaveLength(5);
    expect(r.status).toBe("not_met");
    expect(r.best.iteration).toBe(2);
    expect(r.best.code).toContain('name: "hold"');
    expect(r.iterations.map((i) => i.accepted)).toEqual([false, true, false, false, false]);
    expect(r.iterations[2].reason).toMatch(/rejected by the checks/);
    expect(r.iterations[3].checks.static_errors.join(" ")).toMatch(/only "@strategy-lab\/sdk" can be imported/);
    expect(r.iterations[4].checks.static_errors.join(" ")).toMatch(/process/);
    expect(r.iterations[3].study, "a rejected patch is never backtested").toBeNull();
    expect(r.iterations[2].base_version).toBe("iteration-2");
    expect(r.unmet_constraints.map((c) => c.name)).toEqual(["total_return"]);
    expect(r.unmet_constraints[0].gap).toBeGreaterThan(0);
    // every evaluated variant counts: the baseline plus each study's trials
    const studied = r.iterations.reduce((s, i) => s + (i.study?.n_trials ?? 0), 0);
    expect(r.overfitting.n_trials).toBe(1 + studied);
    expect(r.overfitting.dsr).not.toBeNull();
    // the diagnosis prompt carries the metrics and every failing constraint with its gap
    expect(model.prompts[2]).toMatch(/total_return: [\d.]+ < 5 \(gap [\d.]+\)/);
  });

  it("repairs an invalid patch and goes on", async () => {
    const r = await runImprove({
      ...base,
      source: FLAT,
      model: scripted([BROKEN], () => HOLD),
      iterations: 1,
      thresholds: { minReturn: 0.3, minSortino: 1 },
    });
    expect(r.iterations[0].checks).toMatchObject({ repaired: true, passed: true });
    expect(r.iterations[0].accepted).toBe(true);
    expect(r.status).toBe("met");
  });

  it("never passes the holdout bars to an iteration (data windows the runner received)", async () => {
    let phase: "loop" | "holdout" = "loop";
    const seen: Record<"loop" | "holdout", number[]> = { loop: [], holdout: [] };
    const spy: StrategyRunner = {
      inspect: (s) => localRunner.inspect(s),
      signals: (s, inputs, p) => {
        for (const x of inputs) seen[phase].push(x.bars.timestamps[x.bars.timestamps.length - 1]);
        return localRunner.signals(s, inputs, p);
      },
    };
    const u = rising();
    const holdoutStart = u.timestampsMs[N - Math.floor(N * 0.2)]; // bar 480 of 600
    const r = await runImprove({
      ...base,
      runner: spy,
      source: FLAT,
      model: scripted([HOLD, PARTIAL, FLAT]),
      iterations: 3,
      thresholds: { minReturn: 5 },
      onEvent: (e) => {
        if (e.type === "holdout") phase = "holdout";
      },
    });
    expect(r.iterations).toHaveLength(3);
    expect(seen.loop.length).toBeGreaterThan(10);
    expect(Math.max(...seen.loop), "no iteration saw a holdout bar").toBeLessThan(holdoutStart);
    expect(Math.max(...seen.loop)).toBe(u.timestampsMs[479]);
    expect(Math.max(...seen.holdout), "the holdout is backtested only after the loop").toBe(u.timestampsMs[N - 1]);
    expect(r.periods.holdout).toMatchObject({ bars: 120 });
    expect(r.periods.validation).toMatchObject({ bars: 120 });
    expect(r.periods.train).toMatchObject({ bars: 360 });
  });

  it("resumes after the last finished iteration", async () => {
    const first = await runImprove({
      ...base,
      source: FLAT,
      model: scripted([FLAT, HOLD]),
      iterations: 1,
      thresholds: { minReturn: 5 },
    });
    let checkpoint: Parameters<NonNullable<Parameters<typeof runImprove>[0]["onCheckpoint"]>>[0] | undefined;
    await runImprove({
      ...base,
      source: FLAT,
      model: scripted([FLAT]),
      iterations: 1,
      thresholds: { minReturn: 5 },
      onCheckpoint: (c) => void (checkpoint = structuredClone(c)),
    });
    const proposed: number[] = [];
    const model = scripted([FLAT, HOLD]);
    const r = await runImprove({
      ...base,
      source: FLAT,
      model: { ...model, propose: (req) => (proposed.push(req.iteration), model.propose(req)) },
      iterations: 2,
      thresholds: { minReturn: 5 },
      resume: checkpoint,
    });
    expect(proposed, "iteration 1 is not run again").toEqual([2]);
    expect(r.iterations.map((i) => i.n)).toEqual([1, 2]);
    expect(r.iterations[0].reason).toBe(first.iterations[0].reason);
    expect(r.best.iteration).toBe(2);
  });

  it("no patch can change platform files: a patch writing files is rejected by the checks and nothing on disk changes", async () => {
    const files = [
      "lib/improve/loop.ts",
      "lib/sdk/runtime.ts",
      "server/sandbox/static-check.ts",
      "lib/sdk/examples/sma-cross.ts",
    ];
    const before = files.map((f) => [statSync(f).mtimeMs, readFileSync(f, "utf8")]);
    const WRITER = `import { writeFileSync } from "node:fs";\nwriteFileSync("lib/sdk/runtime.ts", "");\n${HOLD}`;
    const GLOBAL = HOLD.replace(
      "const n = bars.close.length;",
      "const n = bars.close.length; (globalThis as any).require?.('fs');",
    );
    const r = await runImprove({
      ...base,
      source: FLAT,
      model: scripted([WRITER, GLOBAL]),
      iterations: 2,
      thresholds: { minReturn: 5 },
    });
    expect(r.iterations[0].accepted).toBe(false);
    expect(r.iterations[0].checks.static_errors.join(" ")).toMatch(/can be imported/);
    expect(files.map((f) => [statSync(f).mtimeMs, readFileSync(f, "utf8")])).toEqual(before);
  });

  it("stops at the wall-clock cap before starting another iteration", async () => {
    let t = 0;
    const clock = { now: () => (t += 1000) };
    const r = await runImprove({
      ...base,
      clock,
      source: FLAT,
      model: scripted([FLAT, PARTIAL, HOLD]),
      iterations: 3,
      thresholds: { minReturn: 5 },
      timeLimitMs: 1,
    });
    expect(r.stop_reason).toBe("time_limit");
    expect(r.iterations).toHaveLength(0);
  });
});
