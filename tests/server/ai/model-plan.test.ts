/**
 * Hosted models state a structured plan in the rule language before writing code (AI SDK
 * structured output with the lib/rules zod schema); the plan is shown, handed to the code
 * prompt, and the validated code is checked against it bar by bar. Mock models from `ai/test`.
 */
import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai/test";
import { afterAll, describe, expect, it } from "vitest";
import { generateDemoUniverse } from "@/lib/data/demo-universe";
import { generateCode, parsePlan, type RulePlan } from "@/lib/rules";
import { runGenerationPipeline, type GenerationEvent } from "@/server/ai/pipeline";
import type { ModelInfo } from "@/server/ai/providers";
import { shutdownSandbox } from "@/server/sandbox";

afterAll(() => shutdownSandbox());

const demo = generateDemoUniverse({ symbols: 4, years: 3, seed: 11 }).symbols;
const universe = {
  name: "demo-4",
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
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const REQUEST =
  "Buy when the 50-day moving average crosses above the 200-day and sell on the reverse cross, only on sunny days";
const plan = parsePlan(REQUEST).plan as RulePlan;

const promptText = (o: LanguageModelV4CallOptions) => JSON.stringify(o.prompt);
function model(code: string, planReply: unknown) {
  return new MockLanguageModelV4({
    doGenerate: async (o) => {
      const text = promptText(o).includes("Rule plan:")
        ? JSON.stringify(planReply)
        : JSON.stringify({ narrative: "Calm.", bias: "neutral", notes: [] });
      return { content: [{ type: "text", text }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] };
    },
    doStream: async () => ({
      stream: convertArrayToReadableStream<LanguageModelV4StreamPart>([
        { type: "text-start", id: "t" },
        { type: "text-delta", id: "t", delta: `\`\`\`ts\n${code}\`\`\`` },
        { type: "text-end", id: "t" },
        { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
      ]),
    }),
  });
}

async function collect(m: MockLanguageModelV4): Promise<GenerationEvent[]> {
  const events: GenerationEvent[] = [];
  for await (const e of runGenerationPipeline({ request: REQUEST, model: m, modelInfo: hosted, universe }))
    events.push(e);
  return events;
}

describe("hosted model plan", () => {
  it("asks for the plan with the rule schema, shows it, hands it to the code prompt and checks the code against it", async () => {
    const m = model(generateCode(plan), { plan, notExpressible: ["only on sunny days"] });
    const events = await collect(m);
    const planCall = m.doGenerateCalls.find((c) => promptText(c).includes("Rule plan:"));
    expect(planCall?.responseFormat, "structured output with a JSON schema").toMatchObject({
      type: "json",
      schema: expect.objectContaining({ type: "object" }),
    });
    expect(events.find((e) => e.type === "plan")).toMatchObject({
      source: "model",
      understood: [
        "Enter long when the 50-day SMA crosses above the 200-day SMA.",
        "Exit when the 50-day SMA crosses below the 200-day SMA.",
      ],
      notUnderstood: ["only on sunny days"],
    });
    expect(promptText(m.doStreamCalls[0]), "the code prompt carries the plan").toContain('\\"period\\":200');
    const check = events.find((e) => e.type === "faithfulness");
    expect(check).toMatchObject({ ok: true, first: null });
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });

  it("reports the first disagreeing bar when the model's code does not follow its plan", async () => {
    const other = generateCode({
      ...plan,
      entry: { ...plan.entry, left: { kind: "ma", type: "sma", field: "close", period: 20 } } as RulePlan["entry"],
    });
    const events = await collect(model(other, { plan, notExpressible: [] }));
    const check = events.find((e) => e.type === "faithfulness");
    expect(check).toMatchObject({ ok: false, first: { field: expect.stringMatching(/entries|exits/) } });
    expect(check?.type === "faithfulness" && check.message).toMatch(
      /^Differs from the request on \d+ of \d+ sampled signal bars; first at /,
    );
    const repair = events.find((e) => e.type === "repair");
    expect(repair, "the disagreement goes back to the model").toMatchObject({
      attempt: 2,
      errors: [
        { message: expect.stringMatching(/^Differs from the request .* Make the code implement the plan exactly\.$/) },
      ],
    });
    const last = events.filter((e) => e.type === "faithfulness").at(-1);
    expect(last, "still different after the last attempt: saved, and the Lab says so").toMatchObject({ ok: false });
    expect(events.at(-1)).toMatchObject({ type: "done", attempts: 3 });
  });

  it("writes code without a plan when the model's plan does not fit the schema", async () => {
    const events = await collect(
      model(generateCode(plan), { plan: { version: 1, side: "sideways" }, notExpressible: [] }),
    );
    expect(events.some((e) => e.type === "plan")).toBe(false);
    expect(events.some((e) => e.type === "faithfulness")).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });
});
