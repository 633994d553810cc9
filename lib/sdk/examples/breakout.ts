/** Example strategy source: N-day channel breakout with a trailing channel exit. */
export const breakoutSource = `import { defineStrategy } from "@strategy-lab/sdk";

// Donchian-style breakout: buy a close above the highest high of the previous N bars, sell a
// close below the lowest low of the previous M bars. The stop-loss sits at that low.
export default defineStrategy({
  name: "N-day breakout",
  description: "Enter on a close above the prior N-bar high; exit on a close below the prior M-bar low.",
  params: {
    lookback: { type: "int", min: 5, max: 250, default: 20, description: "bars in the breakout channel" },
    exitLookback: { type: "int", min: 2, max: 100, default: 10, description: "bars in the exit channel" },
  },
  signals(bars, p, ta) {
    const n = bars.close.length;
    const priorHigh = ta.shift(ta.highest(bars.high, p.lookback), 1);
    const priorLow = ta.shift(ta.lowest(bars.low, p.exitLookback), 1);
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      entries[i] = bars.close[i] > priorHigh[i] ? 1 : 0;
      exits[i] = bars.close[i] < priorLow[i] ? 1 : 0;
      score[i] = (bars.close[i] / priorHigh[i] - 1) * 100; // % above the channel top
    }
    return { entries, exits, score, stopLoss: priorLow };
  },
});
`;
