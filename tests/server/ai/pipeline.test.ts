import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { APICallError } from "ai";
import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai/test";
import { afterAll, describe, expect, it } from "vitest";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { createOfflineModel, offlineStrategyCode } from "@/server/ai/offline-generator";
import { runGenerationPipeline, type GenerationEvent, type PipelineInput } from "@/server/ai/pipeline";
import { OFFLINE_MODEL, type ModelInfo } from "@/server/ai/providers";
import { shutdownSandbox } from "@/server/sandbox";

afterAll(() => shutdownSandbox());

const demo = generateDemoUniverse({ symbols: 5, years: 3, seed: 7 }).symbols;
const universe = {
  name: "demo-5",
  bars: demo.map((d) => d.series),
  fundamentals: Object.fromEntries(demo.map((d) => [d.symbol, d.fundamentals])),
};
const hosted: ModelInfo = {
  id: "openai:mock",
  provider: "openai",
  modelId: "mock",
  label: "OpenAI · mock",
  offline: false,
  origin: "env",
};
const usage = {
  inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 50, text: 50, reasoning: 0 },
};

function reply(text: string, pieces = 6, finish = "stop"): { stream: ReadableStream<LanguageModelV4StreamPart> } {
  const size = Math.ceil(text.length / pieces);
  const deltas: LanguageModelV4StreamPart[] = [];
  for (let i = 0; i < text.length; i += size)
    deltas.push({ type: "text-delta", id: "t", delta: text.slice(i, i + size) });
  return {
    stream: convertArrayToReadableStream<LanguageModelV4StreamPart>([
      { type: "text-start", id: "t" },
      ...deltas,
      { type: "text-end", id: "t" },
      { type: "finish", finishReason: { unified: finish as "stop", raw: finish }, usage },
    ]),
  };
}

const narrativeJson = JSON.stringify({
  narrative: "Broad uptrend with calm volatility.",
  bias: "bullish",
  notes: ["favour breakouts"],
});
const BREAKOUT = "Buy on a new 20-day high and sell on a new 10-day low";
const goodCode = offlineStrategyCode(BREAKOUT);
const brokenCode = goodCode.replace("const n = bars.close.length;", 'const n = bars.close.length;\n    eval("1");');

async function collect(input: Partial<PipelineInput> & Pick<PipelineInput, "model">): Promise<GenerationEvent[]> {
  const events: GenerationEvent[] = [];
  for await (const e of runGenerationPipeline({ request: "breakout trading", modelInfo: hosted, universe, ...input }))
    events.push(e);
  return events;
}

const codeOf = (events: GenerationEvent[], attempt: number) =>
  events.reduce(
    (code, e) =>
      e.type === "code-reset" && e.attempt === attempt
        ? e.code
        : e.type === "code-delta" && e.attempt === attempt
          ? code + e.delta
          : code,
    "",
  );

describe("generation pipeline", () => {
  it("streams fenced code chunk by chunk, validates and saves with the record", async () => {
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: "text", text: narrativeJson }],
        finishReason: { unified: "stop", raw: "stop" },
        usage,
        warnings: [],
      },
      doStream: reply(`Here is the strategy:\n\`\`\`ts\n${goodCode}\`\`\`\nIt buys breakouts.`, 12),
    });
    let saved: unknown = null;
    const events = await collect({
      model,
      save: async (code, name, record) => {
        saved = { code, name, record };
        return { strategyId: "s1", version: 1, name };
      },
    });
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === "code-delta").length, "several deltas reach the editor").toBeGreaterThan(5);
    expect(codeOf(events, 1).trim(), "prose around the fence never reaches the editor").toBe(goodCode.trim());
    const context = events.find((e) => e.type === "context");
    expect(context).toMatchObject({ universe: "demo-5", narrative: { bias: "bullish" } });
    expect(events.find((e) => e.type === "validation")).toMatchObject({ ok: true });
    expect(types.indexOf("saved")).toBeGreaterThan(types.indexOf("validation"));
    expect(saved).toMatchObject({
      name: "Close is above the highest high of the prior 20 days",
      record: {
        prompt: "breakout trading",
        model: "openai:mock",
        attempts: 1,
        tokenUsage: { inputTokens: 200, outputTokens: 100 },
      },
    });
    expect(model.doStreamCalls[0].prompt[0]).toMatchObject({ role: "system" });
  });

  it("sends validation errors back to the model and succeeds on the repair", async () => {
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: "text", text: narrativeJson }],
        finishReason: { unified: "stop", raw: "stop" },
        usage,
        warnings: [],
      },
      doStream: [reply(`\`\`\`ts\n${brokenCode}\`\`\``), reply(`\`\`\`ts\n${goodCode}\`\`\``)],
    });
    const events = await collect({ model });
    const validations = events.filter((e) => e.type === "validation");
    expect(validations.map((v) => v.ok)).toEqual([false, true]);
    const firstErrors = validations[0].type === "validation" ? validations[0].errors : [];
    expect(firstErrors[0].line, "the error points at the eval line").toBe(
      goodCode.split("\n").findIndex((l) => l.includes("const n = bars.close.length")) + 2,
    );
    expect(events.find((e) => e.type === "repair")).toMatchObject({ attempt: 2, maxAttempts: 3 });
    const repairPrompt = JSON.stringify(model.doStreamCalls[1].prompt);
    expect(repairPrompt).toContain("eval");
    expect(repairPrompt).toContain(`line ${firstErrors[0].line}`);
    expect(events.at(-1)).toMatchObject({ type: "done", attempts: 2 });
  });

  it("gives up after the last attempt with a clear message", async () => {
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: "text", text: narrativeJson }],
        finishReason: { unified: "stop", raw: "stop" },
        usage,
        warnings: [],
      },
      doStream: [reply("no code here"), reply("still nothing")],
    });
    const events = await collect({ model, maxAttempts: 2 });
    expect(events.at(-1)).toMatchObject({ type: "error", code: "MALFORMED", retryable: true });
  });

  it("reports a refusal as such", async () => {
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: "text", text: narrativeJson }],
        finishReason: { unified: "stop", raw: "stop" },
        usage,
        warnings: [],
      },
      doStream: reply("I'm sorry, I can't help with that."),
    });
    expect((await collect({ model })).at(-1)).toMatchObject({ type: "error", code: "REFUSAL", retryable: false });
  });

  it.each([
    [401, "AUTH", false, /rejected the API key/],
    [429, "RATE_LIMIT", true, /Try again in 7 s/],
    [504, "TIMEOUT", true, /timed out/],
    [503, "UNAVAILABLE", true, /server error/],
  ])("turns HTTP %i into %s", async (status, code, retryable, message) => {
    const err = new APICallError({
      message: "provider said no",
      url: "https://api.example/v1",
      requestBodyValues: {},
      statusCode: status,
      responseHeaders: { "retry-after": "7" },
      isRetryable: false,
    });
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        throw err;
      },
      doStream: async () => {
        throw err;
      },
    });
    const last = (await collect({ model })).at(-1);
    expect(last).toMatchObject({ type: "error", code, retryable });
    expect(last && last.type === "error" ? last.message : "").toMatch(message);
    expect(JSON.stringify(last), "the provider's raw body never reaches the client").not.toContain("provider said no");
  });

  it("turns a client-side timeout into TIMEOUT", async () => {
    const model = new MockLanguageModelV4({
      doStream: async () => {
        const e = new Error("The operation timed out.");
        e.name = "TimeoutError";
        throw e;
      },
    });
    expect((await collect({ model, modelInfo: { ...hosted }, universe: undefined })).at(-1)).toMatchObject({
      type: "error",
      code: "TIMEOUT",
      retryable: true,
    });
  });

  it("keeps going without a narrative when the structured output is malformed", async () => {
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: "text", text: '{"narrative": 3}' }],
        finishReason: { unified: "stop", raw: "stop" },
        usage,
        warnings: [],
      },
      doStream: reply(`\`\`\`ts\n${goodCode}\`\`\``),
    });
    const events = await collect({ model });
    expect(events.find((e) => e.type === "context")).toMatchObject({ narrative: null });
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });

  it("runs end to end with the offline generator, labelled as such, without asking for a narrative", async () => {
    const events = await collect({
      model: createOfflineModel({ delayMs: 0 }),
      modelInfo: OFFLINE_MODEL,
      request: "RSI below 30 and volume spike above 2x average",
    });
    expect(events[0]).toMatchObject({ type: "status", model: { offline: true } });
    expect(events[0].type === "status" ? events[0].message : "").toMatch(/offline rule generator/);
    expect(events.find((e) => e.type === "context")).toMatchObject({
      narrative: null,
      regime: { regime: expect.stringMatching(/^(TRENDING_UP|TRENDING_DOWN|RANGING)_(HIGH|LOW)_VOL$/) },
    });
    expect(events.find((e) => e.type === "validation")).toMatchObject({
      ok: true,
      dryRun: { entries: expect.any(Number) },
    });
    expect(events.at(-1)).toMatchObject({
      type: "done",
      code: offlineStrategyCode("RSI below 30 and volume spike above 2x average"),
    });
    expect(events.find((e) => e.type === "plan")).toMatchObject({
      source: "parser",
      notUnderstood: [],
      understood: [
        "Enter long when RSI(14) is below 30 and the volume is above 2× the 20-day SMA of volume.",
        "Exit after 20 bars in the position.",
      ],
    });
    const check = events.find((e) => e.type === "faithfulness");
    expect(check, "the validated code is compared with the rules").toMatchObject({ ok: true, first: null });
    expect(check?.type === "faithfulness" && check.message).toMatch(
      /^Matches the request on (\d+) of \1 sampled signal bars/,
    );
  });

  it("writes nothing when the offline generator understood nothing, and says what it understands", async () => {
    const events = await collect({
      model: createOfflineModel({ delayMs: 0 }),
      modelInfo: OFFLINE_MODEL,
      request: "buy when the moon is full",
    });
    expect(events.find((e) => e.type === "plan")).toMatchObject({
      plan: null,
      understood: [],
      notUnderstood: ["moon", "full"],
    });
    expect(events.some((e) => e.type === "code-delta" || e.type === "done")).toBe(false);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: "error", code: "INVALID", retryable: false });
    expect(last?.type === "error" && last.message).toMatch(
      /No strategy was written.*"moon".*It understands requests like: "Buy when the 50-day SMA crosses above/,
    );
  });

  it("stops with ABORTED when the signal fires mid-stream", async () => {
    const controller = new AbortController();
    const events: GenerationEvent[] = [];
    for await (const e of runGenerationPipeline({
      request: BREAKOUT,
      model: createOfflineModel({ delayMs: 5 }),
      modelInfo: OFFLINE_MODEL,
      universe,
      signal: controller.signal,
    })) {
      events.push(e);
      if (e.type === "code-delta" && events.filter((x) => x.type === "code-delta").length === 3) controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: "error", code: "ABORTED" });
    expect(events.some((e) => e.type === "validation")).toBe(false);
  });
});
