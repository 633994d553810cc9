/**
 * Sandbox overhead: median wall time of one pooled call with a tiny strategy on 250 bars
 * (target < 5 ms), and the server process's RSS growth across 1,000 consecutive runs
 * (target: flat). Child-process RSS is reported too, since isolates live there.
 */
import { readFileSync } from "node:fs";
import { getSandboxPool, runStrategySignals, sandboxStats, shutdownSandbox } from "@/server/sandbox";

const TINY = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "tiny",
  params: {},
  signals(bars) {
    const n = bars.close.length;
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    for (let i = 1; i < n; i++) entries[i] = bars.close[i] > bars.close[i - 1] ? 1 : 0;
    return { entries, exits };
  },
});
`;

function bars(n: number) {
  const close = Float64Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 5) * 5);
  return { symbol: "BENCH", bars: { open: close, high: close, low: close, close, volume: close, timestamps: close } };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function rssMb(pid?: number): number {
  if (pid === undefined) return process.memoryUsage().rss / 2 ** 20;
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
  return kb / 1024;
}

export default {
  name: "sandbox-overhead",
  description: "pooled sandbox call latency (tiny strategy, 250 bars) and RSS across 1,000 runs",
  async run(): Promise<Record<string, number>> {
    shutdownSandbox();
    getSandboxPool({ size: 1 });
    const input = [bars(250)];
    try {
      for (let i = 0; i < 50; i++) await runStrategySignals(TINY, input, {});
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        const t = performance.now();
        await runStrategySignals(TINY, input, {});
        times.push(performance.now() - t);
      }
      const before = rssMb();
      for (let i = 0; i < 1000; i++) await runStrategySignals(TINY, input, {});
      const after = rssMb();
      const pid = sandboxStats().pids[0];
      return {
        sandbox_call_median_ms: median(times),
        sandbox_call_p95_ms: [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)],
        sandbox_rss_growth_mb_1000_runs: after - before,
        sandbox_child_rss_mb: pid === undefined ? NaN : rssMb(pid),
      };
    } finally {
      shutdownSandbox();
    }
  },
};
