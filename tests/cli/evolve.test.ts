/** `npm run lab -- evolve`, spawned as a user runs it: the JSON contract, determinism, seed strategies and bad input. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePlan } from "@/lib/rules";
import { EXAMPLES } from "@/lib/sdk/examples";

function lab(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync("npm", ["run", "-s", "lab", "--", ...args], {
    cwd: process.cwd(),
    encoding: "utf8",
    env: { ...process.env, LAB_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Metrics {
  profit_factor: number | null;
  win_rate_pct: number | null;
  num_trades: number;
  window_start_ms: number;
  window_end_ms: number;
}
interface Ind {
  id: string;
  parents: string[];
  operator: string;
  genome: unknown;
  fitness: number;
  metrics: Metrics;
  state: string | null;
  candidate: Metrics | null;
}
interface Gen {
  n: number;
  individuals: Ind[];
  top_fitness: number;
  promoted: string[];
  n_evaluated: number;
  n_duplicates: number;
  candidate_window: { from_ms: number; to_ms: number; bars: number };
}

const dir = mkdtempSync(join(tmpdir(), "lab-evolve-"));

describe("lab evolve", () => {
  it("--json prints one object with generations, individuals, evaluations, duplicates and the best strategy's code; the same seed repeats it", () => {
    const args = [
      "evolve",
      "--data",
      "../shared/data/GOOG.csv",
      "--population",
      "8",
      "--generations",
      "3",
      "--seed",
      "5",
      "--json",
    ];
    const r = lab(...args);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      generations: Gen[];
      n_evaluated: number;
      n_duplicates: number;
      best: { id: string; code: string; fitness: number };
    };
    expect(out.generations.map((g) => g.n)).toEqual([0, 1, 2]);
    for (const g of out.generations) {
      expect(g.individuals).toHaveLength(8);
      expect(g.top_fitness).toBe(Math.max(...g.individuals.map((x) => x.fitness)));
      for (const x of g.individuals) {
        for (const k of ["id", "parents", "operator", "genome", "fitness", "metrics", "state"])
          expect(x, k).toHaveProperty(k);
        expect(x.fitness).toBeGreaterThanOrEqual(0);
        expect(x.fitness).toBeLessThanOrEqual(100);
        expect([null, "CANDIDATE", "SHADOW"]).toContain(x.state);
      }
      // The candidate backtest covers the last 90 days of bars (GOOG.csv is daily).
      const cw = g.candidate_window;
      expect(cw.to_ms - cw.from_ms).toBeLessThanOrEqual(90 * 86_400_000);
      expect(cw.bars).toBeGreaterThan(50);
      expect(cw.bars).toBeLessThan(70);
      // The gates, checked from the printed candidate backtest (not the evolution window): a new
      // individual enters CANDIDATE with ≥ 1 closed trade; promoted ⇔ PF > 1.5, WR > 45 %, ≥ 10 trades.
      for (const x of g.individuals.filter((i) => i.operator !== "elite")) {
        const c = x.candidate!;
        expect(c.window_start_ms).toBe(cw.from_ms);
        expect(c.window_end_ms).toBe(cw.to_ms);
        const pf = c.profit_factor ?? (c.num_trades > 0 && c.win_rate_pct === 100 ? Infinity : NaN);
        const passes = pf > 1.5 && (c.win_rate_pct ?? 0) > 45 && c.num_trades >= 10;
        expect(g.promoted.includes(x.id), x.id).toBe(passes);
        expect(x.state).toBe(passes ? "SHADOW" : c.num_trades >= 1 ? "CANDIDATE" : null);
      }
    }
    expect(out.n_evaluated).toBe(out.generations.reduce((s, g) => s + g.n_evaluated, 0));
    expect(out.n_duplicates).toBe(out.generations.reduce((s, g) => s + g.n_duplicates, 0));
    const all = out.generations.flatMap((g) => g.individuals);
    expect(out.best.fitness).toBe(Math.max(...all.map((x) => x.fitness)));
    expect(all.find((x) => x.id === out.best.id)?.fitness).toBe(out.best.fitness);
    expect(out.best.code).toContain("defineStrategy");
    expect(lab(...args).stdout).toBe(r.stdout);
  });

  it("seeds the population from a rule plan (.json) and from a plain-English request", () => {
    const plan = parsePlan("Buy when RSI(10) is below 25; exit when RSI is above 60").plan;
    writeFileSync(join(dir, "rsi.json"), JSON.stringify(plan));
    writeFileSync(
      join(dir, "cross.txt"),
      "Buy when the 20-day SMA crosses above the 100-day SMA and sell on the reverse cross",
    );
    const r = lab(
      "evolve",
      "--data",
      "../shared/data/GOOG.csv",
      "--population",
      "4",
      "--generations",
      "1",
      "--seed-strategy",
      join(dir, "rsi.json"),
      "--seed-strategy",
      join(dir, "cross.txt"),
      "--json",
    );
    expect(r.code, r.stderr).toBe(0);
    const g0 = (JSON.parse(r.stdout) as { generations: Gen[] }).generations[0];
    expect(g0.individuals[0].operator).toBe("seed");
    expect(g0.individuals[0].genome).toEqual(plan);
    expect(JSON.stringify(g0.individuals[1].genome)).toContain('"period":100');
    expect(g0.individuals.slice(2).every((x) => x.operator === "mutation")).toBe(true);
  });

  it.each([
    [["--mutation-rate", "1.2"], "--mutation-rate"],
    [["--crossover-rate", "-0.1"], "--crossover-rate"],
    [["--population", "1"], "--population"],
    [["--generations", "0"], "--generations"],
    [["--generations", "1000"], "--generations"],
    [["--seed", "abc"], "--seed"],
  ])("rejects %j naming the flag", (extra, name) => {
    const r = lab("evolve", "--data", "../shared/data/GOOG.csv", ...extra, "--json");
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(name);
  });

  it("rejects a seed strategy that fails validation, naming the flag and the file", () => {
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify({
        version: 1,
        side: "long",
        entry: { kind: "compare", left: { kind: "rsi", period: 0 }, op: "below", right: { kind: "level", value: 30 } },
      }),
    );
    writeFileSync(join(dir, "nothing.txt"), "make me rich");
    for (const f of ["bad.json", "nothing.txt", "missing.json"]) {
      const r = lab("evolve", "--data", "../shared/data/GOOG.csv", "--seed-strategy", join(dir, f), "--json");
      expect(r.code, f).not.toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("--seed-strategy");
      expect(r.stderr).toContain(f);
    }
  });

  it("seeds the population from SDK code: its declared params evolve inside their ranges, the code stays the same", () => {
    const source = EXAMPLES["sma-cross"].source;
    writeFileSync(join(dir, "sma.ts"), source);
    const args = ["evolve", "--data", "../shared/data/GOOG.csv", "--population", "6", "--generations", "2"];
    const r = lab(...args, "--seed", "3", "--seed-strategy", join(dir, "sma.ts"), "--json");
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { generations: Gen[]; best: { code: string } };
    const all = out.generations.flatMap((g) => g.individuals);
    expect(all).toHaveLength(12);
    const params = all.map((x) => {
      const g = x.genome as { kind: string; source: string; params: { fast: number; slow: number; short: boolean } };
      expect(g.kind).toBe("code");
      expect(g.source).toBe(source);
      // Declared in the code: fast 2..200, slow 3..400 (ints); the boolean keeps its default.
      expect(Number.isInteger(g.params.fast) && g.params.fast >= 2 && g.params.fast <= 200).toBe(true);
      expect(Number.isInteger(g.params.slow) && g.params.slow >= 3 && g.params.slow <= 400).toBe(true);
      expect(g.params.short).toBe(false);
      return JSON.stringify(g.params);
    });
    expect(params[0]).toBe(JSON.stringify({ fast: 10, slow: 20, short: false }));
    expect(new Set(params).size).toBeGreaterThan(2);
    expect(out.best.code).toBe(source);
    // Code that does not load, or declares nothing to evolve: non-zero exit naming the flag and the file.
    writeFileSync(join(dir, "broken.ts"), "export default defineStrategy({ name: 1, signals() {} ");
    writeFileSync(
      join(dir, "fixed.ts"),
      source.replace(/params: \{[\s\S]*?\n  \},\n/, "params: {},\n").replace(/p\.(fast|slow)/g, "10"),
    );
    for (const f of ["broken.ts", "fixed.ts"]) {
      const bad = lab(...args, "--seed-strategy", join(dir, f), "--json");
      expect(bad.code, f).not.toBe(0);
      expect(bad.stdout).toBe("");
      expect(bad.stderr).toContain("--seed-strategy");
      expect(bad.stderr).toContain(f);
    }
  });
});
