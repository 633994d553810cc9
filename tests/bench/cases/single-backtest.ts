/** One SMA(10)/SMA(20) backtest on 2,520 daily bars: signals + simulate + report, median of many. */
import { buildReport, simulate } from "@/lib/engine";
import type { BenchCase } from "../case";
import { median, randomWalk, smaCrossSignals } from "../random-walk";

const series = randomWalk("BENCH", 2520, 42);

function once(): number {
  const t0 = performance.now();
  const sig = smaCrossSignals(series.close, 10, 20);
  const res = simulate([series], [sig], { costs: { commissionRate: 0.002 } });
  buildReport(res);
  return performance.now() - t0;
}

const bench: BenchCase = {
  name: "single-backtest",
  description: "SMA(10)/SMA(20) crossover on 2,520 daily bars (signals + simulate + report), median of 300",
  async run() {
    for (let i = 0; i < 200; i++) once();
    const times = Array.from({ length: 300 }, once);
    return { single_backtest_ms: median(times) };
  },
};
export default bench;
