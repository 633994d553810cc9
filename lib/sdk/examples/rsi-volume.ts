/** Example strategy source: RSI oversold confirmed by a volume spike. */
export const rsiVolumeSource = `import { defineStrategy, and, clamp } from "@strategy-lab/sdk";

// Buy capitulation: RSI below the oversold level on a bar whose volume is a multiple of its
// recent average. Sell once RSI has recovered to the exit level.
export default defineStrategy({
  name: "RSI oversold + volume spike",
  description: "Enter when RSI is oversold on unusually high volume; exit when RSI recovers.",
  params: {
    rsiPeriod: { type: "int", min: 2, max: 50, default: 14, description: "RSI window (bars)" },
    oversold: { type: "float", min: 5, max: 50, step: 0.5, default: 30, description: "RSI level counted as oversold" },
    exitLevel: { type: "float", min: 30, max: 90, step: 0.5, default: 55, description: "RSI level that ends the trade" },
    volumePeriod: { type: "int", min: 2, max: 100, default: 20, description: "bars in the average volume" },
    volumeMultiple: { type: "float", min: 1, max: 10, step: 0.1, default: 1.5, description: "volume spike: volume / average volume" },
  },
  signals(bars, p, ta) {
    const n = bars.close.length;
    const rsi = ta.rsi(bars.close, p.rsiPeriod);
    // Average volume of the bars before this one, so the spike is not diluted by itself.
    const avgVolume = ta.shift(ta.sma(bars.volume, p.volumePeriod), 1);
    const volumeRatio = new Float64Array(n);
    for (let i = 0; i < n; i++) volumeRatio[i] = avgVolume[i] > 0 ? bars.volume[i] / avgVolume[i] : NaN;
    const oversold = new Uint8Array(n);
    const spike = new Uint8Array(n);
    const recovered = new Uint8Array(n);
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      oversold[i] = rsi[i] < p.oversold ? 1 : 0;
      spike[i] = volumeRatio[i] >= p.volumeMultiple ? 1 : 0;
      recovered[i] = rsi[i] > p.exitLevel ? 1 : 0;
      // Deeper oversold and a larger spike rank higher.
      score[i] = (p.oversold - rsi[i]) + 10 * Math.log(volumeRatio[i]);
    }
    const confidence = clamp(Float64Array.from(rsi, (r) => (Number.isNaN(r) ? NaN : (p.oversold - r) / p.oversold)));
    return { entries: and(oversold, spike), exits: recovered, score, confidence };
  },
});
`;
