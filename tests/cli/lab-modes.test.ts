/**
 * The real command line, spawned as a user would run it (`npm run lab -- …`). Kept to a few
 * spawns: each costs about a second.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "lab-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lab(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync("npm", ["run", "-s", "lab", "--", ...args], {
    cwd: process.cwd(),
    encoding: "utf8",
    env: { ...process.env, LAB_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("lab backtest --json", () => {
  it("prints exactly one JSON object with the metrics and trades contract", () => {
    const r = lab(
      "backtest",
      "--data",
      "../shared/data/GOOG.csv",
      "--strategy",
      "sma-cross",
      "--commission",
      "0.002",
      "--json",
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of [
      "final_equity",
      "total_return_pct",
      "cagr_pct",
      "volatility_pct",
      "sharpe",
      "sortino",
      "calmar",
      "max_drawdown_pct",
      "num_trades",
      "win_rate_pct",
      "profit_factor",
      "expectancy_pct",
      "exposure_pct",
      "buy_hold_return_pct",
    ]) {
      expect(out.metrics, key).toHaveProperty(key);
    }
    expect(out.metrics.num_trades).toBeGreaterThan(10);
    expect(out.metrics.num_trades).toBe(out.trades.length);
    expect(out.metrics.max_drawdown_pct).toBeLessThan(0);
    // GOOG's first close is 100.34 and its last 806.19: buy and hold is about +703 %.
    expect(out.metrics.buy_hold_return_pct).toBeCloseTo((806.19 / 100.34 - 1) * 100, 0);
    expect(out.data_quality, "real data carries its quality report").toEqual([
      expect.objectContaining({ symbol: "GOOG", gaps: 0, stale_runs: 0, suspected_splits: [] }),
    ]);
    const t = out.trades[0];
    expect(t).toMatchObject({ symbol: "GOOG", side: "long" });
    // All-in whole shares: N·P·(1 + 0.2 %) fits in $10,000 and one more share would not.
    expect(t.size * t.entry_price * 1.002).toBeLessThanOrEqual(10_000);
    expect((t.size + 1) * t.entry_price * 1.002).toBeGreaterThan(10_000);
    expect(out.trustworthy).toBe(true);
  });
});

describe("lab output on a pipe", () => {
  it("is written whole when it is far larger than the pipe's 64 KiB buffer", () => {
    const r = lab("backtest", "--data", "demo-40", "--strategy", "sma-cross", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(256 * 1024);
    const out = JSON.parse(r.stdout);
    expect(out.trades.length).toBe(out.metrics.num_trades);
  });
});

describe("lab errors", () => {
  it("exits non-zero with the CSV problems line by line", () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "Date,Open,High,Low,Close,Volume\n2020-01-02,10,11,9,10.5,100\n2020-01-03,10,9,11,10,100\n");
    const r = lab("backtest", "--data", bad, "--strategy", "sma-cross", "--json");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/line 3.*high 9 is below low 11/);
  });

  it("rejects a strategy file with the offending line and column", () => {
    const file = join(dir, "evil.ts");
    writeFileSync(
      file,
      `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "evil",
  params: {},
  signals(bars) {
    const p = (globalThis as any).process;
    return { entries: new Uint8Array(bars.close.length), exits: new Uint8Array(bars.close.length) };
  },
});
`,
    );
    const r = lab("screen", "--strategy", file, "--universe", "demo-5");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:6:\\d+: `));
  });
});

describe("lab screen and alert", () => {
  it("rank a demo universe and report its alerts as JSON", () => {
    const screen = lab(
      "screen",
      "--strategy",
      "momentum-rank",
      "--universe",
      "demo-40",
      "--top",
      "5",
      "--param",
      "lookback=60",
      "--json",
    );
    expect(screen.code, screen.stderr).toBe(0);
    const s = JSON.parse(screen.stdout);
    expect(s.ranked_results).toHaveLength(5);
    expect(s.synthetic).toBe(true);
    const scores = s.ranked_results
      .filter((r: { signal: boolean }) => !r.signal)
      .map((r: { score: number }) => r.score);
    expect(scores, "non-entries ordered by score").toEqual([...scores].sort((a, b) => b - a));

    const alert = lab("alert", "--strategy", "breakout", "--data", "demo-40", "--bars", "3", "--json");
    expect(alert.code, alert.stderr).toBe(0);
    const a = JSON.parse(alert.stdout);
    expect(a.symbols_monitored).toBe(40);
    expect(Object.keys(a.signals)).toHaveLength(40);
    for (const x of a.alerts)
      expect(x).toMatchObject({ type: "entry", symbol: expect.any(String), timestamp: expect.any(String) });
  });
});
