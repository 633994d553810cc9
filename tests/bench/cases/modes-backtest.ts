/**
 * Backtest of the RSI + volume spike example over 500 demo symbols × 2,520 bars: sandboxed
 * signals, look-ahead check, engine (max 20 positions) and report. Target: under 3 s on 2 cores.
 * Also the cost of the look-ahead check (one re-run per signal bar, up to 300, over every symbol):
 * the same backtest without it, and how many signal bars it checked.
 */
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { EXAMPLES } from "@/lib/sdk/examples";
import { shutdownSandbox } from "@/server/sandbox";
import { runBacktest } from "@/lib/modes/backtest";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default {
  name: "modes-backtest",
  description: "backtest 500 demo symbols × 2,520 bars, RSI + volume spike, sandboxed + engine + report",
  async run(): Promise<Record<string, number>> {
    const demo = generateDemoUniverse({ symbols: 500, years: 10 });
    const universe = demo.symbols.map((d) => d.series);
    const source = EXAMPLES["rsi-volume"].source;
    const config = { portfolio: { maxPositions: 20 } };
    try {
      await runBacktest({ source, universe: universe.slice(0, 5), runner: sandboxRunner, config });
      const times: number[] = [];
      const without: number[] = [];
      let trades = 0;
      let checked = 0;
      for (let k = 0; k < 3; k++) {
        const t = performance.now();
        const r = await runBacktest({ source, universe, runner: sandboxRunner, config });
        times.push(performance.now() - t);
        trades = r.engine.trades.length;
        checked = r.look_ahead.signalsChecked ?? 0;
        const t2 = performance.now();
        await runBacktest({ source, universe, runner: sandboxRunner, config, lookAhead: false });
        without.push(performance.now() - t2);
      }
      return {
        backtest_500_sandboxed_ms: median(times),
        backtest_500_sandboxed_trades: trades,
        backtest_500_no_look_ahead_ms: median(without),
        look_ahead_signals_checked: checked,
      };
    } finally {
      shutdownSandbox();
    }
  },
};
