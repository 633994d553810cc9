import "server-only";
/**
 * Every hosted model call goes through its provider's outbound policy (server/ops/resilience.ts:
 * one breaker, retry policy and rate limit per provider) and is measured: calls, tokens,
 * latency and errors by provider. Applied by resolveModel (./providers.ts) as AI SDK
 * middleware, so streamText and generateText both pass through it.
 *
 * For a stream, the policy covers opening it (where connection errors, 429 and 5xx show up);
 * an error in the middle of a stream is counted, not retried (the text so far was already sent).
 */
import { wrapLanguageModel } from "ai";
import type { LanguageModelV4, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { TaskCancelledError } from "cockatiel";
import { env } from "@/lib/env";
import { metrics, secondsSince } from "@/server/ops/metrics";
import { dependency, DependencyUnavailableError } from "@/server/ops/resilience";

/** A short, bounded label for an LLM error. */
export function llmErrorType(err: unknown): string {
  if (err instanceof DependencyUnavailableError) return "breaker_open";
  const e = err as { name?: string; statusCode?: number; status?: number } | null;
  const status = e?.statusCode ?? e?.status;
  if (e?.name === "AbortError") return "aborted";
  if (e?.name === "TimeoutError" || err instanceof TaskCancelledError) return "timeout";
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limit";
  if (typeof status === "number" && status >= 500) return "server";
  if (typeof status === "number") return "request";
  return "network";
}

function retryAfterMs(err: unknown): number | null {
  const headers = (err as { responseHeaders?: Record<string, string> } | null)?.responseHeaders;
  const value = headers?.["retry-after"];
  if (!value) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}

function isOutage(err: unknown): boolean {
  const e = err as { name?: string; statusCode?: number; isRetryable?: boolean } | null;
  if (e?.name === "AbortError") return false;
  if (err instanceof TaskCancelledError) return true; // the attempt timed out
  const status = e?.statusCode;
  if (typeof status === "number") return status === 408 || status === 429 || status >= 500;
  return e?.isRetryable !== false;
}

/** `model` (of `provider`) with the provider's outbound policy and metrics. */
export function resilientModel(model: LanguageModelV4, provider: string): LanguageModelV4 {
  // Opening a stream or a whole generate call gets the model-call timeout (LAB_AI_TIMEOUT_MS).
  const dep = () =>
    dependency(`llm:${provider}`, { isFailure: isOutage, retryAfterMs, timeoutMs: env().LAB_AI_TIMEOUT_MS });
  const m = () => metrics();
  const failed = (err: unknown, started: number) => {
    m().llmCalls.inc({ provider, outcome: "error" });
    m().llmErrors.inc({ provider, type: llmErrorType(err) });
    m().llmDuration.observe({ provider }, secondsSince(started));
  };
  const tokens = (input: number | undefined, output: number | undefined) => {
    if (input) m().llmTokens.inc({ provider, direction: "input" }, input);
    if (output) m().llmTokens.inc({ provider, direction: "output" }, output);
  };
  return wrapLanguageModel({
    model,
    middleware: {
      wrapGenerate: async ({ doGenerate, params }) => {
        const started = performance.now();
        try {
          const result = await dep().call(() => Promise.resolve(doGenerate()), params.abortSignal);
          m().llmCalls.inc({ provider, outcome: "ok" });
          m().llmDuration.observe({ provider }, secondsSince(started));
          tokens(result.usage.inputTokens.total, result.usage.outputTokens.total);
          return result;
        } catch (err) {
          failed(err, started);
          throw err;
        }
      },
      wrapStream: async ({ doStream, params }) => {
        const started = performance.now();
        let opened;
        try {
          opened = await dep().call(() => Promise.resolve(doStream()), params.abortSignal);
        } catch (err) {
          failed(err, started);
          throw err;
        }
        let errored = false;
        const watch = new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
          transform(part, controller) {
            if (part.type === "finish") tokens(part.usage.inputTokens.total, part.usage.outputTokens.total);
            if (part.type === "error" && !errored) {
              errored = true;
              failed(part.error, started);
            }
            controller.enqueue(part);
          },
          flush() {
            if (errored) return;
            m().llmCalls.inc({ provider, outcome: "ok" });
            m().llmDuration.observe({ provider }, secondsSince(started));
          },
        });
        return { ...opened, stream: opened.stream.pipeThrough(watch) };
      },
    },
  });
}
