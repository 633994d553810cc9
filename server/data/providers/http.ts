import "server-only";
/**
 * JSON GET through a provider's {@link Resilience}: 429, 408 and 5xx answers and network
 * errors are retried (Retry-After honoured); other 4xx answers fail at once with the
 * provider's own message; a body that is not JSON is a {@link ProviderResponseError}.
 */
import { isRecord, ProviderResponseError } from "@/lib/data/providers";
import { parseRetryAfter, Resilience, TransientProviderError } from "./resilience";

/** The provider answered with a non-retryable HTTP error (bad key, unknown symbol, …). */
export class ProviderHttpError extends Error {
  readonly provider: string;
  readonly status: number;
  constructor(provider: string, status: number, message: string) {
    super(`${provider}: HTTP ${status}: ${message}`);
    this.name = "ProviderHttpError";
    this.provider = provider;
    this.status = status;
  }
}

/** The `fetch` the adapters use (injected in tests). */
export type FetchLike = (
  url: string,
  init?: { headers?: Record<string, string>; signal?: AbortSignal },
) => Promise<Response>;

function messageOf(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    if (isRecord(body)) {
      for (const k of ["message", "error", "error_message", "description"])
        if (typeof body[k] === "string") return body[k] as string;
      if (isRecord(body.chart) && isRecord(body.chart.error))
        return String(body.chart.error.description ?? body.chart.error.code);
    }
  } catch {
    // not JSON: use the text
  }
  return text.slice(0, 200) || "no message";
}

/**
 * GET `url` as JSON. `cacheKey` defaults to the URL (credentials go in headers, never in
 * the URL, so the key holds no secret). `timeoutMs` bounds one attempt.
 */
export async function getJson(
  res: Resilience,
  fetchImpl: FetchLike,
  url: string,
  opts: { symbol: string; headers?: Record<string, string>; timeoutMs?: number; cache?: boolean },
): Promise<unknown> {
  return res.call(opts.cache === false ? null : url, async () => {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { accept: "application/json", ...opts.headers },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new TransientProviderError(`network error: ${err instanceof Error ? err.message : String(err)}`, null, err);
    }
    const text = await response.text();
    if (response.status === 429 || response.status === 408 || response.status >= 500) {
      throw new TransientProviderError(
        `HTTP ${response.status}: ${messageOf(text)}`,
        parseRetryAfter(response.headers.get("retry-after"), res.clock.now()),
      );
    }
    if (!response.ok) throw new ProviderHttpError(res.provider, response.status, messageOf(text));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ProviderResponseError(
        res.provider,
        opts.symbol,
        `response is not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`,
      );
    }
  });
}
