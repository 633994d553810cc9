import { streamText } from "ai";
import { afterAll, describe, expect, it } from "vitest";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { toStrategyInput } from "@/lib/sdk/bars";
import { createOfflineModel, offlineStrategyCode } from "@/server/ai/offline-generator";
import { parseRequest } from "@/server/ai/offline/intents";
import { checkStrategySource, inspectStrategy, runStrategySignals, shutdownSandbox } from "@/server/sandbox";

const universe = generateDemoUniverse({ symbols: 8, years: 4, seed: 42 }).symbols;

afterAll(() => shutdownSandbox());

/** Request → the ideas and numbers a reader would take from it. */
const TABLE: { request: string; kinds: string[]; check?: (p: ReturnType<typeof parseRequest>) => void }[] = [
  { request: "breakout trading", kinds: ["breakout"] },
  {
    request: "Find stocks that gap up by more than 3% with high volume",
    kinds: ["gap", "volume"],
    check: (p) => {
      expect(p.intents[0]).toMatchObject({ kind: "gap", minGapPct: 3 });
      expect(p.mode).toBe("screen");
    },
  },
  {
    request: "value stocks with P/E under 15 and strong balance sheets",
    kinds: ["value"],
    check: (p) => expect(p.intents[0]).toMatchObject({ kind: "value", maxPe: 15 }),
  },
  {
    request: "Alert me when ARM gaps up by 5% or more",
    kinds: ["gap"],
    check: (p) => {
      expect(p.intents[0]).toMatchObject({ minGapPct: 5 });
      expect(p.symbols).toEqual(["ARM"]);
      expect(p.mode).toBe("alert");
    },
  },
  {
    request: "RSI below 30 and volume spike above 2x average",
    kinds: ["rsi-below", "volume"],
    check: (p) => {
      expect(p.intents[0]).toMatchObject({ kind: "rsi-below", level: 30 });
      expect(p.intents[1], "the 2 belongs to volume, not to an RSI-above rule").toMatchObject({ kind: "volume", multiple: 2 });
    },
  },
  {
    request: "50/200 EMA crossover with an 8% stop loss and a 20% take profit",
    kinds: ["ma-cross"],
    check: (p) => {
      expect(p.intents[0]).toMatchObject({ fast: 50, slow: 200, average: "ema" });
      expect(p.stopLossPct).toBe(8);
      expect(p.takeProfitPct).toBe(20);
    },
  },
  { request: "Bollinger band mean reversion, 2.5 standard deviations", kinds: ["bollinger"], check: (p) => expect(p.intents[0]).toMatchObject({ width: 2.5 }) },
  { request: "buy when the 20-day z-score is below -1.5", kinds: ["zscore"], check: (p) => expect(p.intents[0]).toMatchObject({ entryZ: 1.5, period: 20 }) },
  { request: "6-month momentum ranking of the strongest stocks", kinds: ["momentum"], check: (p) => expect(p.intents[0]).toMatchObject({ lookback: 126 }) },
  { request: "RSI above 60 with a 55-day breakout", kinds: ["rsi-above", "breakout"], check: (p) => expect(p.intents[1]).toMatchObject({ lookback: 55 }) },
  { request: "debt-to-equity under 0.8 and P/E below 20", kinds: ["value"], check: (p) => expect(p.intents[0]).toMatchObject({ maxPe: 20, maxDebtToEquity: 0.8 }) },
  { request: "make me money", kinds: ["ma-cross"], check: (p) => expect(p.fallback).toBe(true) },
];

describe("offline generator", () => {
  it.each(TABLE)("reads the ideas and numbers in \"$request\"", ({ request, kinds, check }) => {
    const parsed = parseRequest(request);
    expect(parsed.intents.map((i) => i.kind)).toEqual(kinds);
    check?.(parsed);
  });

  it.each(TABLE)("writes code for \"$request\" that validates and enters trades on demo data", async ({ request }) => {
    const code = offlineStrategyCode(request);
    const checked = checkStrategySource(code);
    expect(checked.ok, checked.ok ? "" : JSON.stringify(checked.errors)).toBe(true);
    const info = await inspectStrategy(code);
    const inputs = universe.map((d) => toStrategyInput(d.series, info.fundamentals ? d.fundamentals : undefined));
    const signals = await runStrategySignals(code, inputs, {});
    let entries = 0;
    for (const s of signals) for (const e of s.entries) entries += e ? 1 : 0;
    expect(entries, "the strategy should trade at least once on 8 demo symbols × 4 years").toBeGreaterThan(0);
  });

  it("puts the request's numbers into the params' defaults", async () => {
    const info = await inspectStrategy(offlineStrategyCode("RSI below 25 and volume spike above 3x average"));
    expect(info.params.rsiBelow).toMatchObject({ default: 25 });
    expect(info.params.volumeMultiple).toMatchObject({ default: 3 });
  });

  it("enters exactly on the bars a hand-written rule picks (gap ≥ 4%)", async () => {
    const code = offlineStrategyCode("gap up by 4% or more");
    const s = universe[0].series;
    const [sig] = await runStrategySignals(code, [toStrategyInput(s)], {});
    for (let i = 1; i < s.close.length; i++) {
      const gap = (s.open[i] / s.close[i - 1] - 1) * 100;
      expect(sig.entries[i] ? 1 : 0, `bar ${i}`).toBe(gap >= 4 ? 1 : 0);
    }
  });

  it("streams through the AI SDK in many chunks that add up to the code", async () => {
    const request = "Find stocks that gap up by more than 3% with high volume";
    const result = streamText({ model: createOfflineModel({ delayMs: 0 }), prompt: request });
    const deltas: string[] = [];
    for await (const d of result.textStream) deltas.push(d);
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.join("")).toBe(offlineStrategyCode(request));
    const usage = await result.usage;
    expect(usage.outputTokens).toBe(Math.ceil(offlineStrategyCode(request).length / 4));
  });

  it("stops streaming when aborted", async () => {
    const controller = new AbortController();
    const result = streamText({ model: createOfflineModel({ delayMs: 5 }), prompt: "breakout trading", abortSignal: controller.signal });
    let n = 0;
    let aborted = false;
    for await (const part of result.fullStream) {
      if (part.type === "text-delta" && ++n === 3) controller.abort();
      if (part.type === "abort" || part.type === "error") aborted = true;
    }
    expect(aborted).toBe(true);
    expect(n).toBeLessThan(6);
  });
});
