/** Example strategy source: simple moving-average crossover, optionally stop-and-reverse. */
export const smaCrossSource = `import { defineStrategy } from "@strategy-lab/sdk";

// Go long when the fast SMA crosses above the slow one; leave when it crosses back below.
// With short = true every cross also reverses: the down-cross closes the long and opens a short.
export default defineStrategy({
  name: "SMA crossover",
  description: "Long on a fast/slow simple moving average cross-up, out (or short) on the cross-down.",
  params: {
    fast: { type: "int", min: 2, max: 200, default: 10, description: "fast SMA window (bars)" },
    slow: { type: "int", min: 3, max: 400, default: 20, description: "slow SMA window (bars)" },
    short: { type: "boolean", default: false, description: "stop-and-reverse: short on the cross-down" },
  },
  signals(bars, p, ta) {
    const fast = ta.sma(bars.close, p.fast);
    const slow = ta.sma(bars.close, p.slow);
    const up = ta.crossover(fast, slow);
    const down = ta.crossunder(fast, slow);
    // Trend strength: how far the fast average sits above the slow one, in percent.
    const score = new Float64Array(bars.close.length);
    for (let i = 0; i < score.length; i++) score[i] = (fast[i] / slow[i] - 1) * 100;
    if (p.short) return { entries: up, exits: down, shortEntries: down, shortExits: up, score };
    return { entries: up, exits: down, score };
  },
});
`;
