/** Example strategy source: Bollinger Band mean reversion. */
export const bollingerReversionSource = `import { defineStrategy } from "@strategy-lab/sdk";

// Buy a close below the lower band, sell when price is back at the middle band.
// Score is how far below the band the close sits, in band widths.
export default defineStrategy({
  name: "Bollinger mean reversion",
  description: "Enter on a close below the lower Bollinger Band; exit at the middle band.",
  params: {
    period: { type: "int", min: 5, max: 100, default: 20, description: "bars in the moving average" },
    width: { type: "float", min: 0.5, max: 4, step: 0.1, default: 2, description: "band width in standard deviations" },
  },
  signals(bars, p, ta) {
    const n = bars.close.length;
    const bands = ta.bollinger(bars.close, p.period, p.width);
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = bars.close[i];
      entries[i] = c < bands.lower[i] ? 1 : 0;
      exits[i] = c >= bands.middle[i] ? 1 : 0;
      score[i] = (bands.lower[i] - c) / (bands.upper[i] - bands.lower[i]);
    }
    return { entries, exits, score, takeProfit: bands.middle };
  },
});
`;
