import "server-only";
/**
 * The offline generator: a real AI SDK language model (specification v4) that writes SDK
 * strategy code from the request by parsing it into rule blocks (lib/rules) and writing code
 * from those. It is a rule parser, not a language model in the machine-learning sense, and the
 * UI says so; what it did not understand is listed at the top of the code.
 * It streams the code line by line with a small pause so the editor fills like it would from
 * a hosted model, reports approximate token usage (characters / 4) and honours abort signals.
 */
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import { generateFromRequest } from "@/lib/rules";

/** Provider id and model id of the offline generator, as shown in the model picker. */
export const OFFLINE_PROVIDER = "offline";
export const OFFLINE_MODEL_ID = "offline:template";

/** Provider options key the pipeline uses to hand the raw request to the offline generator. */
export const OFFLINE_OPTIONS_KEY = "strategyLab";

/** Options of {@link createOfflineModel}. */
export interface OfflineModelOptions {
  /**
   * Pause between streamed lines, ms. By default a strategy streams in about 600 ms in all (at
   * most 20 ms per line), so the editor fills visibly without slowing generation down. 0 streams
   * as fast as possible.
   */
  delayMs?: number;
}

function promptText(options: LanguageModelV4CallOptions): string {
  const parts: string[] = [];
  for (const message of options.prompt) {
    if (message.role === "system") parts.push(message.content);
    else if (message.role === "user") for (const c of message.content) if (c.type === "text") parts.push(c.text);
  }
  return parts.join("\n");
}

/** The request to write code for: the pipeline's provider option, else the last user message. */
function requestOf(options: LanguageModelV4CallOptions): string {
  const given = options.providerOptions?.[OFFLINE_OPTIONS_KEY]?.request;
  if (typeof given === "string" && given.trim()) return given;
  const users = options.prompt.filter((m) => m.role === "user");
  const last = users[users.length - 1];
  if (!last) return "";
  return last.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}

function usageOf(inputChars: number, outputChars: number): LanguageModelV4Usage {
  const input = Math.ceil(inputChars / 4);
  const output = Math.ceil(outputChars / 4);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

function abortError(): Error {
  const err = new Error("The generation was stopped.");
  err.name = "AbortError";
  return err;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The request had no entry rule the offline generator understands; `message` says so and gives examples. */
export class RequestNotUnderstoodError extends Error {
  constructor(
    message: string,
    readonly notUnderstood: string[],
  ) {
    super(message);
    this.name = "RequestNotUnderstoodError";
  }
}

/**
 * Code for a request, as the offline generator writes it (deterministic). Parts not understood
 * are listed in a `// not understood: …` first line; throws {@link RequestNotUnderstoodError}
 * when no entry rule was understood (never a substitute strategy).
 */
export function offlineStrategyCode(request: string): string {
  const g = generateFromRequest(request);
  if (!g.code) throw new RequestNotUnderstoodError(g.message ?? "The request was not understood.", g.notUnderstood);
  return g.code;
}

/** Total streaming time of one strategy with the default pacing, ms. */
const STREAM_BUDGET_MS = 600;

/** Splits code into the pieces the stream emits: one line each, long lines in two. */
function chunks(code: string): string[] {
  const out: string[] = [];
  for (const line of code.split(/(?<=\n)/)) {
    if (line.length > 90) {
      const cut = line.lastIndexOf(" ", 60) > 0 ? line.lastIndexOf(" ", 60) : 60;
      out.push(line.slice(0, cut), line.slice(cut));
    } else out.push(line);
  }
  return out;
}

/** A `LanguageModelV4` that writes strategy code from templates; works with `streamText`/`generateText`. */
export function createOfflineModel(opts: OfflineModelOptions = {}): LanguageModelV4 {
  const pace = (pieces: number) => opts.delayMs ?? Math.min(20, Math.floor(STREAM_BUDGET_MS / Math.max(1, pieces)));
  return {
    specificationVersion: "v4",
    provider: OFFLINE_PROVIDER,
    modelId: "template",
    supportedUrls: {},
    async doGenerate(options): Promise<LanguageModelV4GenerateResult> {
      if (options.abortSignal?.aborted) throw abortError();
      const code = offlineStrategyCode(requestOf(options));
      return {
        content: [{ type: "text", text: code }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: usageOf(promptText(options).length, code.length),
        warnings: [],
      };
    },
    async doStream(options): Promise<LanguageModelV4StreamResult> {
      const code = offlineStrategyCode(requestOf(options));
      const pieces = chunks(code);
      const delayMs = pace(pieces.length);
      const inputChars = promptText(options).length;
      const signal = options.abortSignal;
      let index = -1;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async pull(controller) {
          try {
            if (index === -1) {
              controller.enqueue({ type: "stream-start", warnings: [] });
              controller.enqueue({ type: "response-metadata", modelId: "template" });
              controller.enqueue({ type: "text-start", id: "code" });
              index = 0;
              return;
            }
            if (index < pieces.length) {
              if (index > 0 && delayMs > 0) await sleep(delayMs, signal);
              else if (signal?.aborted) throw abortError();
              controller.enqueue({ type: "text-delta", id: "code", delta: pieces[index] });
              index += 1;
              return;
            }
            controller.enqueue({ type: "text-end", id: "code" });
            controller.enqueue({
              type: "finish",
              finishReason: { unified: "stop", raw: "stop" },
              usage: usageOf(inputChars, code.length),
            });
            controller.close();
          } catch (err) {
            controller.error(err);
          }
        },
      });
      return { stream };
    },
  };
}
