import "server-only";
/**
 * Writes SDK strategy source from a parsed request. Each recognised idea contributes
 * parameters, indicator set-up, an entry condition, optionally an exit condition and a
 * score; entry conditions are ANDed, exit conditions ORed. Without any exit condition the
 * position is held for a fixed number of bars. Stops and targets become absolute price levels.
 */
import type { Intent, ParsedRequest } from "./intents";

interface Piece {
  params: string[];
  setup: string[];
  /** Per-bar statements inside the loop (before the entry test). */
  loop?: string[];
  entry: string;
  exit?: string;
  score?: string;
  describe: string;
  fundamentals?: boolean;
}

const fmt = (x: number) => String(Number(x.toFixed(4)));

function piece(intent: Intent): Piece {
  switch (intent.kind) {
    case "gap":
      return {
        params: [`minGapPct: { type: "float", min: 0.5, max: 20, step: 0.5, default: ${fmt(intent.minGapPct)}, description: "minimum opening gap, % over the previous close" },`],
        setup: [],
        loop: ["const gapPct = i > 0 ? (bars.open[i] / bars.close[i - 1] - 1) * 100 : NaN;"],
        entry: "gapPct >= p.minGapPct",
        score: "gapPct",
        describe: `opens at least ${fmt(intent.minGapPct)}% above the previous close`,
      };
    case "volume":
      return {
        params: [
          `volumeMultiple: { type: "float", min: 1, max: 10, step: 0.1, default: ${fmt(intent.multiple)}, description: "volume / average volume" },`,
          `volumePeriod: { type: "int", min: 2, max: 100, default: ${intent.period}, description: "bars in the average volume" },`,
        ],
        setup: ["// Average volume of the bars before this one, so today's spike does not raise its own bar.", "const avgVolume = ta.shift(ta.sma(bars.volume, p.volumePeriod), 1);"],
        entry: "bars.volume[i] >= p.volumeMultiple * avgVolume[i]",
        score: "bars.volume[i] / avgVolume[i]",
        describe: `trades at least ${fmt(intent.multiple)}× its ${intent.period}-bar average volume`,
      };
    case "rsi-below":
      return {
        params: [
          `rsiPeriod: { type: "int", min: 2, max: 50, default: ${intent.period}, description: "RSI period" },`,
          `rsiBelow: { type: "float", min: 1, max: 60, step: 1, default: ${fmt(intent.level)}, description: "enter when RSI is below this" },`,
          `rsiExit: { type: "float", min: 30, max: 90, step: 1, default: ${fmt(Math.max(50, intent.level + 20))}, description: "exit when RSI recovers above this" },`,
        ],
        setup: ["const rsi = ta.rsi(bars.close, p.rsiPeriod);"],
        entry: "rsi[i] < p.rsiBelow",
        exit: "rsi[i] > p.rsiExit",
        score: "100 - rsi[i]",
        describe: `RSI(${intent.period}) is below ${fmt(intent.level)}`,
      };
    case "rsi-above":
      return {
        params: [
          `rsiPeriod: { type: "int", min: 2, max: 50, default: ${intent.period}, description: "RSI period" },`,
          `rsiAbove: { type: "float", min: 40, max: 99, step: 1, default: ${fmt(intent.level)}, description: "enter when RSI is above this" },`,
          `rsiFloor: { type: "float", min: 10, max: 70, step: 1, default: ${fmt(Math.min(50, intent.level - 15))}, description: "exit when RSI falls below this" },`,
        ],
        setup: ["const rsi = ta.rsi(bars.close, p.rsiPeriod);"],
        entry: "rsi[i] > p.rsiAbove",
        exit: "rsi[i] < p.rsiFloor",
        score: "rsi[i]",
        describe: `RSI(${intent.period}) is above ${fmt(intent.level)}`,
      };
    case "ma-cross":
      return {
        params: [
          `fast: { type: "int", min: 2, max: 200, default: ${intent.fast}, description: "fast moving average, bars" },`,
          `slow: { type: "int", min: 5, max: 400, default: ${intent.slow}, description: "slow moving average, bars" },`,
        ],
        setup: [`const fastMa = ta.${intent.average}(bars.close, p.fast);`, `const slowMa = ta.${intent.average}(bars.close, p.slow);`],
        entry: "i > 0 && fastMa[i] > slowMa[i] && fastMa[i - 1] <= slowMa[i - 1]",
        exit: "i > 0 && fastMa[i] < slowMa[i] && fastMa[i - 1] >= slowMa[i - 1]",
        score: "(fastMa[i] / slowMa[i] - 1) * 100",
        describe: `the ${intent.fast}-bar ${intent.average.toUpperCase()} crosses above the ${intent.slow}-bar ${intent.average.toUpperCase()}`,
      };
    case "breakout":
      return {
        params: [
          `lookback: { type: "int", min: 5, max: 250, default: ${intent.lookback}, description: "bars in the breakout channel" },`,
          `exitLookback: { type: "int", min: 2, max: 120, default: ${Math.max(2, Math.round(intent.lookback / 2))}, description: "bars in the exit channel" },`,
        ],
        setup: ["// Channel of the prior bars only: the current bar must break it, not define it.", "const priorHigh = ta.shift(ta.highest(bars.high, p.lookback), 1);", "const priorLow = ta.shift(ta.lowest(bars.low, p.exitLookback), 1);"],
        entry: "bars.close[i] > priorHigh[i]",
        exit: "bars.close[i] < priorLow[i]",
        score: "(bars.close[i] / priorHigh[i] - 1) * 100",
        describe: `closes above its prior ${intent.lookback}-bar high`,
      };
    case "bollinger":
      return {
        params: [
          `bandPeriod: { type: "int", min: 5, max: 100, default: ${intent.period}, description: "bars in the band's average" },`,
          `bandWidth: { type: "float", min: 0.5, max: 4, step: 0.1, default: ${fmt(intent.width)}, description: "band width, standard deviations" },`,
        ],
        setup: ["const bands = ta.bollinger(bars.close, p.bandPeriod, p.bandWidth);"],
        entry: "bars.close[i] < bands.lower[i]",
        exit: "bars.close[i] >= bands.middle[i]",
        score: "(bands.lower[i] - bars.close[i]) / (bands.upper[i] - bands.lower[i])",
        describe: `closes below the lower Bollinger Band (${intent.period}, ${fmt(intent.width)}σ)`,
      };
    case "zscore":
      return {
        params: [
          `zPeriod: { type: "int", min: 5, max: 200, default: ${intent.period}, description: "bars in the z-score window" },`,
          `entryZ: { type: "float", min: 0.5, max: 5, step: 0.1, default: ${fmt(intent.entryZ)}, description: "enter below minus this many standard deviations" },`,
        ],
        setup: ["const z = ta.zscore(bars.close, p.zPeriod);"],
        entry: "z[i] < -p.entryZ",
        exit: "z[i] >= 0",
        score: "-z[i]",
        describe: `the ${intent.period}-bar z-score of the close is below -${fmt(intent.entryZ)}`,
      };
    case "momentum":
      return {
        params: [
          `momentumLookback: { type: "int", min: 20, max: 252, default: ${intent.lookback}, description: "momentum window, bars" },`,
          `minMomentumPct: { type: "float", min: -50, max: 100, step: 0.5, default: 0, description: "minimum trailing return to enter, %" },`,
        ],
        setup: ["const momentum = ta.roc(bars.close, p.momentumLookback);"],
        entry: "momentum[i] > p.minMomentumPct && (i === 0 || momentum[i - 1] <= p.minMomentumPct)",
        exit: "momentum[i] < 0",
        score: "momentum[i]",
        describe: `has a ${intent.lookback}-bar return above the threshold (ranked by that return)`,
      };
    case "value":
      return {
        params: [
          `maxPe: { type: "float", min: 1, max: 60, step: 0.5, default: ${fmt(intent.maxPe)}, description: "highest P/E to enter" },`,
          `maxDebtToEquity: { type: "float", min: 0, max: 5, step: 0.05, default: ${fmt(intent.maxDebtToEquity)}, description: "highest debt/equity to enter" },`,
        ],
        setup: ["const pe = bars.pe ?? new Float64Array(n).fill(NaN);", "const debtToEquity = bars.debtToEquity ?? new Float64Array(n).fill(NaN);"],
        entry: "pe[i] > 0 && pe[i] <= p.maxPe && debtToEquity[i] >= 0 && debtToEquity[i] <= p.maxDebtToEquity",
        exit: "pe[i] > p.maxPe * 1.5 || debtToEquity[i] > p.maxDebtToEquity * 1.5",
        score: "pe[i] > 0 ? 100 / pe[i] : NaN",
        describe: `has a P/E of at most ${fmt(intent.maxPe)} and debt/equity of at most ${fmt(intent.maxDebtToEquity)}`,
        fundamentals: true,
      };
  }
}

function titleOf(parsed: ParsedRequest): string {
  const names: Record<Intent["kind"], string> = {
    gap: "Gap up",
    volume: "volume spike",
    "rsi-below": "RSI oversold",
    "rsi-above": "RSI strength",
    "ma-cross": "Moving-average crossover",
    breakout: "Breakout",
    bollinger: "Bollinger reversion",
    zscore: "Z-score reversion",
    momentum: "Momentum ranking",
    value: "Value screen",
  };
  const parts = parsed.intents.map((i) => names[i.kind]);
  const title = parts.map((s, k) => (k === 0 ? s : s.toLowerCase())).join(" + ");
  return parsed.symbols.length > 0 && parsed.mode === "alert" ? `${title} (${parsed.symbols.join(", ")})` : title;
}

const str = (s: string) => JSON.stringify(s);

function unique(lines: string[], key: (line: string) => string): string[] {
  const seen = new Set<string>();
  return lines.filter((l) => {
    const k = key(l);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** SDK strategy source for the parsed request: one default-exported `defineStrategy`. */
export function buildStrategyCode(parsed: ParsedRequest): string {
  const pieces = parsed.intents.map(piece);
  const exits = pieces.flatMap((x) => (x.exit ? [x.exit] : []));
  // Two ideas may share an indicator (RSI below and above): declare each parameter and set-up line once.
  const params = unique(pieces.flatMap((x) => x.params), (l) => l.slice(0, l.indexOf(":")));
  if (exits.length === 0) params.push(`holdBars: { type: "int", min: 1, max: 60, default: 5, description: "bars to hold after an entry" },`);
  if (parsed.stopLossPct !== null) params.push(`stopLossPct: { type: "float", min: 0.5, max: 50, step: 0.5, default: ${fmt(parsed.stopLossPct)}, description: "stop-loss below the signal close, %" },`);
  if (parsed.takeProfitPct !== null) params.push(`takeProfitPct: { type: "float", min: 0.5, max: 200, step: 0.5, default: ${fmt(parsed.takeProfitPct)}, description: "take-profit above the signal close, %" },`);

  const fundamentals = pieces.some((x) => x.fundamentals);
  const describe = `Enter when the symbol ${pieces.map((x) => x.describe).join(" and ")}.`;
  const exitText = exits.length > 0 ? "Exit when any exit condition holds." : "Exit after a fixed number of bars.";
  const out: string[] = [];
  out.push(`import { defineStrategy${exits.length === 0 ? ", barsSince" : ""} } from "@strategy-lab/sdk";`, "");
  out.push(`// Request: ${parsed.request.replace(/\s+/g, " ").trim().slice(0, 200)}`);
  if (parsed.fallback) out.push("// No trading idea was recognised in the request, so this is a moving-average crossover to start from.");
  if (parsed.mode === "alert" && parsed.symbols.length > 0) out.push(`// Meant as an alert on ${parsed.symbols.join(", ")}: the conditions apply to whichever symbols the alert watches.`);
  out.push("export default defineStrategy({");
  out.push(`  name: ${str(titleOf(parsed))},`);
  out.push(`  description: ${str(`${describe} ${exitText}`)},`);
  if (fundamentals) out.push("  fundamentals: true,");
  out.push("  params: {", ...params.map((l) => `    ${l}`), "  },");
  out.push(`  signals(bars, p${pieces.some((x) => x.setup.some((l) => l.includes("ta."))) ? ", ta" : ""}) {`);
  out.push("    const n = bars.close.length;");
  out.push(...unique(pieces.flatMap((x) => x.setup), (l) => l).map((l) => `    ${l}`));
  out.push("    const entries = new Uint8Array(n);", "    const exits = new Uint8Array(n);", "    const score = new Float64Array(n).fill(NaN);");
  if (parsed.stopLossPct !== null) out.push("    const stopLoss = new Float64Array(n).fill(NaN);");
  if (parsed.takeProfitPct !== null) out.push("    const takeProfit = new Float64Array(n).fill(NaN);");
  out.push("    for (let i = 0; i < n; i++) {");
  for (const x of pieces) out.push(...(x.loop ?? []).map((l) => `      ${l}`));
  const entry = pieces.map((x) => (pieces.length > 1 ? `(${x.entry})` : x.entry)).join(" &&\n        ");
  out.push(`      entries[i] = ${entry} ? 1 : 0;`);
  if (exits.length > 0) out.push(`      exits[i] = ${exits.map((e) => (exits.length > 1 ? `(${e})` : e)).join(" || ")} ? 1 : 0;`);
  out.push(`      score[i] = ${pieces[0].score ?? "NaN"};`);
  if (parsed.stopLossPct !== null) out.push("      stopLoss[i] = bars.close[i] * (1 - p.stopLossPct / 100);");
  if (parsed.takeProfitPct !== null) out.push("      takeProfit[i] = bars.close[i] * (1 + p.takeProfitPct / 100);");
  out.push("    }");
  if (exits.length === 0) {
    out.push("    const since = barsSince(entries);", "    for (let i = 0; i < n; i++) exits[i] = since[i] === p.holdBars ? 1 : 0;");
  }
  const ret = ["entries", "exits", "score", ...(parsed.stopLossPct !== null ? ["stopLoss"] : []), ...(parsed.takeProfitPct !== null ? ["takeProfit"] : [])];
  out.push(`    return { ${ret.join(", ")} };`, "  },", "});", "");
  return out.join("\n");
}
