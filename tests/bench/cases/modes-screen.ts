/**
 * Screen of the 500-symbol demo universe with the RSI + volume spike example, through the
 * sandbox (the pool is warmed first: this measures a screen, not child-process start-up).
 * Target: under 1 s on 2 cores. `screen_500_ms` uses the default history window
 * (SCREEN_HISTORY_BARS); `screen_500_full_history_ms` hands the strategy all 2,520 bars.
 */
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { EXAMPLES } from "@/lib/sdk/examples";
import { shutdownSandbox } from "@/server/sandbox";
import { runScreen } from "@/lib/modes/screen";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default {
  name: "modes-screen",
  description: "screen 500 demo symbols × 2,520 bars, RSI + volume spike, sandboxed",
  async run(): Promise<Record<string, number>> {
    const demo = generateDemoUniverse({ symbols: 500, years: 10 });
    const universe = demo.symbols.map((d) => d.series);
    const source = EXAMPLES["rsi-volume"].source;
    try {
      await runScreen({ source, universe: universe.slice(0, 5), runner: sandboxRunner });
      const times: number[] = [];
      const full: number[] = [];
      for (let k = 0; k < 5; k++) {
        let t = performance.now();
        await runScreen({ source, universe, runner: sandboxRunner, limit: 50 });
        times.push(performance.now() - t);
        t = performance.now();
        await runScreen({ source, universe, runner: sandboxRunner, limit: 50, historyBars: Infinity });
        full.push(performance.now() - t);
      }
      return { screen_500_ms: median(times), screen_500_full_history_ms: median(full) };
    } finally {
      shutdownSandbox();
    }
  },
};
