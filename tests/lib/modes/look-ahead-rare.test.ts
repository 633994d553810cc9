/**
 * The peek the look-ahead check used to miss: buy the day before a 4 % jump. On demo symbols the
 * old check (a few cuts on the first two symbols) reported it trustworthy; cutting the history
 * at every entry catches it, on the sandbox as a user runs it, and says how many were checked.
 */
import { afterAll, describe, expect, it } from "vitest";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { runBacktest } from "@/lib/modes/backtest";
import { shutdownSandbox } from "@/server/sandbox";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";

const PEEK = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "Day before the jump",
  description: "Buys the day before a 4 % rise (reads tomorrow's close).",
  params: {},
  signals(bars) {
    const n = bars.close.length;
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      entries[i] = bars.close[i + 1] > 1.04 * bars.close[i] ? 1 : 0;
      exits[i] = i > 0 && entries[i - 1] ? 1 : 0;
    }
    return { entries, exits };
  },
});
`;

describe("look-ahead check on a rare-event peek", () => {
  afterAll(async () => shutdownSandbox());

  it("is flagged untrustworthy, with signals of every symbol checked", async () => {
    const { symbols } = generateDemoUniverse({ symbols: 12, years: 4 });
    const result = await runBacktest({ source: PEEK, universe: symbols.map((s) => s.series), runner: sandboxRunner });
    const trades = result.performance_metrics.num_trades ?? 0;
    expect(trades, "the peek trades on demo data").toBeGreaterThan(3);
    expect(result.trustworthy).toBe(false);
    expect(result.look_ahead).toMatchObject({ usesFutureData: true, output: "entries" });
    const { signalsChecked, signalsTotal, symbolsChecked } = result.look_ahead;
    expect(signalsTotal).toBeGreaterThanOrEqual(trades);
    expect(signalsChecked, "every signal bar up to the budget of 300").toBe(Math.min(300, signalsTotal ?? 0));
    expect(symbolsChecked, "sampled over every symbol of the run").toBe(12);
    expect(result.warnings.join(" ")).toMatch(/uses future data/);
  }, 120_000);
});
