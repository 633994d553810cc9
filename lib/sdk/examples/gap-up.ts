/** Example strategy source: gap-up on heavy volume, held for a fixed number of bars. */
export const gapUpSource = `import { defineStrategy, barsSince } from "@strategy-lab/sdk";

// A bar that opens at least gapPct % above the previous close on volume at least
// volumeMultiple times the recent average. Hold for holdBars bars; a stop sits at the
// previous close (the gap filled).
export default defineStrategy({
  name: "Gap up with volume",
  description: "Enter after an opening gap of at least N% on volume M times its average; exit after a fixed hold.",
  params: {
    gapPct: { type: "float", min: 0.5, max: 20, step: 0.5, default: 3, description: "minimum gap, % over the previous close" },
    volumeMultiple: { type: "float", min: 1, max: 10, step: 0.1, default: 1.5, description: "volume / average volume" },
    volumePeriod: { type: "int", min: 2, max: 100, default: 20, description: "bars in the average volume" },
    holdBars: { type: "int", min: 1, max: 60, default: 5, description: "bars to hold after the entry signal" },
  },
  signals(bars, p, ta) {
    const n = bars.close.length;
    const avgVolume = ta.shift(ta.sma(bars.volume, p.volumePeriod), 1);
    const entries = new Uint8Array(n);
    const score = new Float64Array(n).fill(NaN);
    const stopLoss = new Float64Array(n).fill(NaN);
    for (let i = 1; i < n; i++) {
      const gap = (bars.open[i] / bars.close[i - 1] - 1) * 100;
      const ratio = avgVolume[i] > 0 ? bars.volume[i] / avgVolume[i] : NaN;
      score[i] = gap;
      stopLoss[i] = bars.close[i - 1];
      entries[i] = gap >= p.gapPct && ratio >= p.volumeMultiple ? 1 : 0;
    }
    const since = barsSince(entries);
    const exits = new Uint8Array(n);
    for (let i = 0; i < n; i++) exits[i] = since[i] === p.holdBars ? 1 : 0;
    return { entries, exits, score, stopLoss };
  },
});
`;
