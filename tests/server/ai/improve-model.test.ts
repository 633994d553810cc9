import { describe, expect, it } from "vitest";
import { MockLanguageModelV4 } from "ai/test";
import { runImprove } from "@/lib/improve/loop";
import { extractCode, hostedImproveModel } from "@/server/ai/improve-model";
import { checkStrategySource } from "@/server/sandbox/check-source";
import { localRunner } from "../../helpers/local-runner";
import { BROKEN, FLAT, HOLD, IMPORTS, PARTIAL, PROCESS, rising } from "../../fixtures/improve-strategies";

const usage = {
  inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 40, text: 40, reasoning: 0 },
};
const checkSource = (s: string) => {
  const c = checkStrategySource(s);
  return c.ok ? [] : c.errors.map((e) => `line ${e.line}: ${e.message}`);
};
const reply = (code: string, summary: string) =>
  `Here it is.\n\`\`\`ts\n${code}\`\`\`\nSUMMARY: ${summary}\nWHY: because the diagnosis says so`;

/** A mock model answering each call with the next scripted reply; records the prompts it got. */
function scriptedModel(replies: string[]) {
  const prompts: string[] = [];
  let k = 0;
  const model = new MockLanguageModelV4({
    doGenerate: async (o) => {
      prompts.push(JSON.stringify(o.prompt));
      const text = replies[k++] ?? "I have nothing more.";
      return { content: [{ type: "text", text }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] };
    },
  });
  return { model: hostedImproveModel(model, "mock:scripted"), prompts };
}

const base = { universe: [rising()], runner: localRunner, checkSource, clock: { now: () => 0 }, trialsPerIteration: 3 };

describe("the hosted model step (AI SDK mock language model)", () => {
  it("extracts the module from the reply", () => {
    expect(extractCode("x\n```typescript\nconst a = 1;\n```\n")).toBe("const a = 1;\n");
    expect(extractCode("no code")).toBeNull();
  });

  it("thresholds met at iteration 2 → two iterations; summary, rationale and token usage recorded", async () => {
    const { model, prompts } = scriptedModel([
      reply(FLAT, "nothing yet"),
      reply(HOLD, "hold the trend"),
      reply(HOLD, "unused"),
    ]);
    const r = await runImprove({ ...base, source: FLAT, model, thresholds: { minReturn: 0.3, minSortino: 1 } });
    expect(r.iterations).toHaveLength(2);
    expect(r.status).toBe("met");
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain("Failing constraints");
    expect(prompts[0]).toMatch(/sortino: n\/a < 1 \(gap undefined value\)/);
    expect(r.iterations[1].patch).toEqual({
      summary: "hold the trend",
      rationale: "because the diagnosis says so",
      model: "mock:scripted",
      usage: { inputTokens: 100, outputTokens: 40 },
    });
  });

  it("iteration 2 better than 5 → 2 reported; import / process patches rejected by the sandbox checks and recorded; a reply without code does not end the loop", async () => {
    const { model } = scriptedModel([
      reply(FLAT, "flat"),
      reply(HOLD, "hold"),
      reply(IMPORTS, "read a file"),
      // repair of iteration 3 (still importing) → rejected
      reply(IMPORTS, "still reading"),
      reply(PROCESS, "peek at the environment"),
      reply(PROCESS, "still peeking"),
      "no code at all",
      reply(PARTIAL, "trade less"),
    ]);
    const r = await runImprove({
      ...base,
      source: PARTIAL,
      model,
      iterations: 5,
      thresholds: { minReturn: 5, minSortino: 1 },
    });
    expect(r.iterations).toHaveLength(5);
    expect(r.best.iteration).toBe(2);
    expect(r.status).toBe("not_met");
    expect(r.iterations[2].accepted).toBe(false);
    expect(r.iterations[2].checks.repaired).toBe(true);
    expect(r.iterations[2].checks.static_errors.join(" ")).toMatch(/can be imported/);
    expect(r.iterations[3].checks.static_errors.join(" ")).toMatch(/`process` is not available/);
    expect(r.iterations[4].reason).toMatch(/no usable patch: the reply has no ```ts code block/);
    expect(r.best.code).toContain('name: "hold"');
  });

  it("an invalid patch is repaired by the model and the loop goes on", async () => {
    const { model } = scriptedModel([reply(BROKEN, "oops"), reply(HOLD, "fixed syntax")]);
    const r = await runImprove({
      ...base,
      source: FLAT,
      model,
      iterations: 1,
      thresholds: { minReturn: 0.3, minSortino: 1 },
    });
    expect(r.iterations[0].checks).toMatchObject({ repaired: true, passed: true });
    expect(r.iterations[0].patch?.usage).toEqual({ inputTokens: 200, outputTokens: 80 });
    expect(r.status).toBe("met");
  });
});
