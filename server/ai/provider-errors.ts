import "server-only";
/**
 * Provider failures as clear messages: a rejected key, a rate limit, a timeout, a refusal,
 * malformed output or an unreachable endpoint. Raw provider bodies never reach the client.
 */
import { APICallError, LoadAPIKeyError, NoContentGeneratedError, NoObjectGeneratedError, RetryError } from "ai";

export type GenerationErrorCode =
  "AUTH" | "RATE_LIMIT" | "TIMEOUT" | "REFUSAL" | "MALFORMED" | "UNAVAILABLE" | "ABORTED" | "INVALID" | "FAILED";

/** A failure the UI can show: what happened, whether retrying can help, and when. */
export interface GenerationFailure {
  code: GenerationErrorCode;
  message: string;
  retryable: boolean;
  retryAfterSeconds: number | null;
}

/** Thrown inside the pipeline for failures it detects itself (refusal, no code in the reply). */
export class GenerationError extends Error {
  constructor(
    readonly code: GenerationErrorCode,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = "GenerationError";
  }
}

function retryAfter(headers: Record<string, string> | undefined): number | null {
  const raw = headers?.["retry-after"] ?? headers?.["Retry-After"];
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : null;
}

function isAbort(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err.name === "AbortError" || (err.name === "DOMException" && err.message.includes("abort")))
  );
}

function isTimeout(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code;
  return (
    err.name === "TimeoutError" ||
    code === "ETIMEDOUT" ||
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    /timed? ?out/i.test(err.message)
  );
}

function isNetwork(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code ?? (err.cause as { code?: string } | undefined)?.code;
  return (
    code === "ECONNREFUSED" ||
    code === "ENOTFOUND" ||
    code === "ECONNRESET" ||
    /fetch failed|network/i.test(err.message)
  );
}

/** Maps any error from a model call to a {@link GenerationFailure}; `provider` names the service in messages. */
export function describeProviderError(err: unknown, provider: string): GenerationFailure {
  const fail = (
    code: GenerationErrorCode,
    message: string,
    retryable: boolean,
    after: number | null = null,
  ): GenerationFailure => ({
    code,
    message,
    retryable,
    retryAfterSeconds: after,
  });
  if (RetryError.isInstance(err)) return describeProviderError(err.lastError, provider);
  if (err instanceof GenerationError) return fail(err.code, err.message, err.retryable);
  if (isAbort(err)) return fail("ABORTED", "Generation stopped.", true);
  if (LoadAPIKeyError.isInstance(err))
    return fail(
      "AUTH",
      `No API key is configured for ${provider}. Add one in workspace settings or the server environment.`,
      false,
    );
  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    if (status === 401 || status === 403)
      return fail(
        "AUTH",
        `${provider} rejected the API key (HTTP ${status}). Check the key in workspace settings or the server environment.`,
        false,
      );
    if (status === 429) {
      const after = retryAfter(err.responseHeaders);
      return fail(
        "RATE_LIMIT",
        `${provider} is rate-limiting requests (HTTP 429).${after !== null ? ` Try again in ${after} s.` : " Try again shortly."}`,
        true,
        after,
      );
    }
    if (status === 408 || status === 504)
      return fail("TIMEOUT", `${provider} timed out (HTTP ${status}). Try again.`, true);
    if (status === 400 || status === 404 || status === 422)
      return fail(
        "INVALID",
        `${provider} refused the request (HTTP ${status}) — check the model name and its settings.`,
        false,
      );
    if (status !== undefined && status >= 500)
      return fail("UNAVAILABLE", `${provider} had a server error (HTTP ${status}). Try again.`, true);
    if (isTimeout(err.cause ?? err)) return fail("TIMEOUT", `${provider} did not answer in time. Try again.`, true);
    return fail("UNAVAILABLE", `Could not reach ${provider}. Check the network or the endpoint URL.`, true);
  }
  if (isTimeout(err)) return fail("TIMEOUT", `${provider} did not answer in time. Try again.`, true);
  if (NoContentGeneratedError.isInstance(err) || NoObjectGeneratedError.isInstance(err))
    return fail("MALFORMED", `${provider} returned no usable output. Try again or pick another model.`, true);
  if (isNetwork(err))
    return fail("UNAVAILABLE", `Could not reach ${provider}. Check the network or the endpoint URL.`, true);
  return fail("FAILED", `Generation failed with ${provider}. It has been logged.`, true);
}
