/** 500 symbols × 2,520 bars, SMA(10)/SMA(20) entries ranked by 20-bar momentum, max 20 positions. */
import { buildReport, simulate, type SignalArrays } from "@/lib/engine";
import type { BenchCase } from "../case";
import { median, randomWalk, smaCrossSignals } from "../random-walk";

const universe = Array.from({ length: 500 }, (_, k) => randomWalk(`S${String(k).padStart(3, "0")}`, 2520, 1000 + k));

function signalsFor(close: Float64Array): SignalArrays {
  const { entries, exits } = smaCrossSignals(close, 10, 20);
  const score = new Float64Array(close.length).fill(NaN);
  for (let i = 20; i < close.length; i++) score[i] = close[i] / close[i - 20] - 1;
  return { entries, exits, score };
}

const bench: BenchCase = {
  name: "portfolio-500",
  description: "500-symbol × 2,520-bar portfolio, max 20 positions (simulate + report; signals timed apart)",
  async run() {
    const t0 = performance.now();
    const signals = universe.map((s) => signalsFor(s.close));
    const signalsMs = performance.now() - t0;
    const times: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t1 = performance.now();
      const res = simulate(universe, signals, { costs: { commissionRate: 0.002 }, portfolio: { maxPositions: 20 } });
      buildReport(res);
      times.push(performance.now() - t1);
    }
    return { portfolio_500_ms: median(times), portfolio_500_signals_ms: signalsMs };
  },
};
export default bench;
