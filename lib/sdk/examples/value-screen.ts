/** Example strategy source: value screen on P/E and debt/equity (requests fundamentals). */
export const valueScreenSource = `import { defineStrategy } from "@strategy-lab/sdk";

// Cheap and conservatively financed: positive P/E under maxPe, debt/equity under maxDebtToEquity,
// market cap at least minMarketCapBn billion. Leave when either ratio drifts 50% past its limit.
// Bars without fundamentals (NaN) never qualify.
export default defineStrategy({
  name: "Value screen",
  description: "Low P/E and low debt/equity among companies above a minimum size.",
  fundamentals: true,
  params: {
    maxPe: { type: "float", min: 1, max: 60, step: 0.5, default: 15, description: "highest P/E to enter" },
    maxDebtToEquity: { type: "float", min: 0, max: 5, step: 0.05, default: 0.5, description: "highest debt/equity to enter" },
    minMarketCapBn: { type: "float", min: 0, max: 1000, step: 0.5, default: 1, description: "smallest market cap, billions" },
  },
  signals(bars, p) {
    const n = bars.close.length;
    const pe = bars.pe ?? new Float64Array(n).fill(NaN);
    const de = bars.debtToEquity ?? new Float64Array(n).fill(NaN);
    const cap = bars.marketCap ?? new Float64Array(n).fill(NaN);
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const cheap = pe[i] > 0 && pe[i] <= p.maxPe;
      const safe = de[i] >= 0 && de[i] <= p.maxDebtToEquity;
      entries[i] = cheap && safe && cap[i] >= p.minMarketCapBn * 1e9 ? 1 : 0;
      exits[i] = pe[i] > p.maxPe * 1.5 || de[i] > p.maxDebtToEquity * 1.5 ? 1 : 0;
      // Earnings yield plus balance-sheet headroom: higher is cheaper and safer.
      score[i] = pe[i] > 0 ? 100 / pe[i] + (p.maxDebtToEquity - de[i]) : NaN;
    }
    return { entries, exits, score };
  },
});
`;
