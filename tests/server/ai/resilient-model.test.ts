/** Hosted model calls pass through the provider's outbound policy and are measured. */
import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { APICallError, generateText, streamText } from "ai";
import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai/test";
import { beforeEach, describe, expect, it } from "vitest";
import { resilientModel } from "@/server/ai/resilient-model";
import { metrics } from "@/server/ops/metrics";
import { DependencyUnavailableError, resetDependencies } from "@/server/ops/resilience";

const usage = {
  inputTokens: { total: 120, noCache: 120, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 30, text: 30, reasoning: 0 },
};
const stream = () => ({
  stream: convertArrayToReadableStream<LanguageModelV4StreamPart>([
    { type: "text-start", id: "t" },
    { type: "text-delta", id: "t", delta: "hello" },
    { type: "text-end", id: "t" },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
  ]),
});
const unavailable = () =>
  new APICallError({
    message: "overloaded",
    url: "https://api.example.test",
    requestBodyValues: {},
    statusCode: 503,
    isRetryable: true,
  });

async function value(name: "llmCalls" | "llmTokens" | "llmErrors", labels: Record<string, string>): Promise<number> {
  const all = (await metrics()[name].get()).values;
  return all.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k as never] === x))?.value ?? 0;
}

describe("resilient hosted models", () => {
  beforeEach(() => resetDependencies());

  it("retries a 503 when opening a stream, then counts the call and its tokens", async () => {
    let calls = 0;
    const mock = new MockLanguageModelV4({
      doStream: async () => {
        if (++calls < 3) throw unavailable();
        return stream();
      },
    });
    const model = resilientModel(mock, "test-stream");
    const result = streamText({ model, prompt: "hi", maxRetries: 0 });
    expect(await result.text).toBe("hello");
    expect(calls, "two failures retried by the policy").toBe(3);
    expect(await value("llmCalls", { provider: "test-stream", outcome: "ok" })).toBe(1);
    expect(await value("llmTokens", { provider: "test-stream", direction: "input" })).toBe(120);
    expect(await value("llmTokens", { provider: "test-stream", direction: "output" })).toBe(30);
  });

  it("opens the provider's breaker after 5 consecutive failures and then refuses at once", async () => {
    let calls = 0;
    const mock = new MockLanguageModelV4({
      doGenerate: async () => {
        calls++;
        throw unavailable();
      },
    });
    const model = resilientModel(mock, "test-down");
    await expect(generateText({ model, prompt: "a", maxRetries: 0 })).rejects.toThrow(/overloaded/);
    await expect(generateText({ model, prompt: "b", maxRetries: 0 })).rejects.toThrow();
    expect(calls, "3 attempts, then 2 more open the breaker").toBe(5);
    const refused = await generateText({ model, prompt: "c", maxRetries: 0 }).catch((e: unknown) => e);
    expect(calls).toBe(5);
    expect(String((refused as Error).message)).toContain("llm:test-down is failing");
    expect(
      refused instanceof DependencyUnavailableError ||
        (refused as { cause?: unknown }).cause instanceof DependencyUnavailableError ||
        /is failing/.test(String(refused)),
    ).toBe(true);
    // The second call's third attempt already met the open breaker.
    expect(await value("llmErrors", { provider: "test-down", type: "server" })).toBe(1);
    expect(await value("llmErrors", { provider: "test-down", type: "breaker_open" })).toBe(2);
  }, 30_000);

  it("does not retry or count a rejected key against the provider", async () => {
    let calls = 0;
    const mock = new MockLanguageModelV4({
      doGenerate: async () => {
        calls++;
        throw new APICallError({
          message: "invalid x-api-key",
          url: "https://api.example.test",
          requestBodyValues: {},
          statusCode: 401,
          isRetryable: false,
        });
      },
    });
    const model = resilientModel(mock, "test-auth");
    for (let i = 0; i < 6; i++) await generateText({ model, prompt: "x", maxRetries: 0 }).catch(() => undefined);
    expect(calls, "every call reached the provider once").toBe(6);
    expect(await value("llmErrors", { provider: "test-auth", type: "auth" })).toBe(6);
  });
});
