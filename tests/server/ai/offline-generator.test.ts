import { streamText } from "ai";
import { afterAll, describe, expect, it } from "vitest";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { toStrategyInput } from "@/lib/sdk/bars";
import { createOfflineModel, offlineStrategyCode, RequestNotUnderstoodError } from "@/server/ai/offline-generator";
import { checkStrategySource, inspectStrategy, runStrategySignals, shutdownSandbox } from "@/server/sandbox";

const universe = generateDemoUniverse({ symbols: 8, years: 4, seed: 42 }).symbols;

afterAll(() => shutdownSandbox());

/** The five requests the old template generator got wrong, with the parameters their numbers must land in. */
const TABLE: { request: string; params: Record<string, number> }[] = [
  {
    request: "Buy when the 50-day moving average crosses above the 200-day and sell on the reverse cross",
    params: { fastSmaPeriod: 50, slowSmaPeriod: 200 },
  },
  {
    request: "Buy when price closes 2 standard deviations below its 20-day mean and exit back at the mean",
    params: { zscorePeriod: 20, zscoreBelow: -2, smaPeriod: 20 },
  },
  {
    request: "Buy after three consecutive down days and sell after two up days",
    params: { downDays: 3, exitUpDays: 2 },
  },
  {
    request: "Momentum: buy stocks up more than 20% over 60 days, 8% stop loss and 25% take profit",
    params: { returnPctPeriod: 60, returnPctAbove: 20, stopLossPct: 8, takeProfitPct: 25 },
  },
  {
    request: "Donchian channel breakout on the 55-day high with a 2 ATR trailing stop",
    params: { priorHighPeriod: 55, trailingStopAtr: 2, atrPeriod: 14 },
  },
];

describe("offline generator", () => {
  it.each(TABLE)(
    'writes code for "$request" with the request\'s numbers as defaults, and it trades on demo data',
    async ({ request, params }) => {
      const code = offlineStrategyCode(request);
      const checked = checkStrategySource(code);
      expect(checked.ok, checked.ok ? "" : JSON.stringify(checked.errors)).toBe(true);
      const info = await inspectStrategy(code);
      for (const [name, value] of Object.entries(params))
        expect(info.params[name], name).toMatchObject({ default: value });
      const inputs = universe.map((d) => toStrategyInput(d.series, info.fundamentals ? d.fundamentals : undefined));
      const signals = await runStrategySignals(code, inputs, {});
      let entries = 0;
      for (const s of signals) for (const e of s.entries) entries += e ? 1 : 0;
      expect(entries, "the strategy trades at least once on 8 demo symbols × 4 years").toBeGreaterThan(0);
    },
  );

  it("refuses a request it does not understand instead of writing another strategy", () => {
    expect(() => offlineStrategyCode("make me money")).toThrow(RequestNotUnderstoodError);
  });

  it("enters exactly on the bars a hand-written rule picks (gap > 4%)", async () => {
    const code = offlineStrategyCode("gap up by more than 4%");
    const s = universe[0].series;
    const [sig] = await runStrategySignals(code, [toStrategyInput(s)], {});
    let hits = 0;
    for (let i = 1; i < s.close.length; i++) {
      const gap = s.open[i] > s.close[i - 1] * 1.04;
      hits += gap ? 1 : 0;
      expect(sig.entries[i] ? 1 : 0, `bar ${i}`).toBe(gap ? 1 : 0);
    }
    expect(hits).toBeGreaterThan(0);
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
    const result = streamText({
      model: createOfflineModel({ delayMs: 5 }),
      prompt: TABLE[0].request,
      abortSignal: controller.signal,
    });
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
