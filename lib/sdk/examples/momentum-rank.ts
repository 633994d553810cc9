/** Example strategy source: cross-sectional momentum, ranked through the score. */
export const momentumRankSource = `import { defineStrategy } from "@strategy-lab/sdk";

// Score every symbol by its return over the lookback, skipping the most recent bars
// (short-term reversal). The engine and the screen rank symbols by score, so with a limit
// on open positions the portfolio holds the strongest names; a name leaves when its
// momentum turns negative or it falls below its trend average.
export default defineStrategy({
  name: "Momentum ranking",
  description: "Hold the symbols with the strongest trailing return; the score ranks them across the universe.",
  params: {
    lookback: { type: "int", min: 30, max: 252, default: 126, description: "momentum window (bars)" },
    skip: { type: "int", min: 0, max: 21, default: 5, description: "most recent bars left out of the momentum" },
    minMomentumPct: { type: "float", min: -50, max: 100, step: 0.5, default: 5, description: "minimum momentum to enter, %" },
    trendPeriod: { type: "int", min: 20, max: 250, default: 100, description: "trend filter SMA window" },
  },
  signals(bars, p, ta) {
    const n = bars.close.length;
    const momentum = ta.shift(ta.roc(bars.close, p.lookback - p.skip), p.skip);
    const trend = ta.sma(bars.close, p.trendPeriod);
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      entries[i] = momentum[i] >= p.minMomentumPct && bars.close[i] > trend[i] ? 1 : 0;
      exits[i] = momentum[i] < 0 || bars.close[i] < trend[i] ? 1 : 0;
    }
    return { entries, exits, score: momentum };
  },
});
`;
