import "server-only";
/**
 * Resilience of outbound dependencies (LLM providers, webhooks, SMTP; market-data providers
 * use the same breaker through server/data/providers/resilience.ts), built on cockatiel:
 *
 * - ONE policy per dependency, kept on globalThis (a breaker created per call would never open
 *   and would leak listeners);
 * - a circuit breaker: LAB_BREAKER_FAILURES (5) consecutive failures open it; after
 *   LAB_BREAKER_COOLDOWN_SECONDS it is half-open and one trial call decides;
 * - retries: LAB_OUTBOUND_ATTEMPTS (3) attempts in all, exponential backoff with decorrelated
 *   jitter, or the dependency's own Retry-After when it sent one;
 * - a timeout per attempt (`timeoutMs`, 30 s unless the dependency sets its own);
 * - an outbound rate limit per dependency: LAB_OUTBOUND_RPM (50) calls per minute (token
 *   bucket); a call waits up to `maxWaitMs` for a token, then is refused;
 * - metrics: breaker state, calls by outcome, retries, refusals; the error budget counts each
 *   call's final outcome.
 *
 * Only failures that say the dependency is unwell count (network errors, timeouts, 429, 5xx);
 * a 4xx answer, an address refused by the outbound rules, or the caller's own abort pass
 * straight through, uncounted and not retried. The address checks stay inside the call the
 * policy wraps (server/http/outbound.ts), so every attempt is checked.
 */
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from "cockatiel";
import { env } from "@/lib/env";
import { recordOutcome } from "./error-budget";
import { metrics } from "./metrics";

export interface DependencyOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** Open → half-open after this long, ms. */
  cooldownMs: number;
  /** Attempts per call, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** One attempt that has not settled after this long fails (and counts against the breaker), ms. */
  timeoutMs: number;
  /** Outbound calls per minute (token bucket of this size, refilled evenly). */
  ratePerMinute: number;
  /** Longest wait for a rate-limit token before the call is refused, ms. */
  maxWaitMs: number;
  /** Whether `err` says the dependency is unwell (default {@link isOutageError}). */
  isFailure: (err: unknown) => boolean;
  /** A wait the dependency asked for (Retry-After), ms, or null. */
  retryAfterMs: (err: unknown) => number | null;
  /**
   * Waited for before each attempt, after the rate-limit token and before the attempt's timeout
   * starts (a market-data provider's shared token buckets): waiting our turn is not the dependency being slow.
   */
  beforeAttempt?: () => Promise<void>;
}

/** The dependency is refusing calls: its breaker is open, or our own rate limit is exhausted. */
export class DependencyUnavailableError extends Error {
  readonly code = "UNAVAILABLE";
  constructor(
    readonly dependency: string,
    message: string,
    readonly retryAtMs: number | null,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = "DependencyUnavailableError";
  }
}

/** HTTP status of an error from fetch wrappers, AI SDK or nodemailer, when it carries one. */
function statusOf(err: unknown): number | null {
  const e = err as { status?: unknown; statusCode?: unknown; responseCode?: unknown } | null;
  const s = e?.status ?? e?.statusCode ?? e?.responseCode;
  return typeof s === "number" ? s : null;
}

/** Default failure test: network errors, timeouts, 408/425/429, 5xx (SMTP 4xx are transient too). */
export function isOutageError(err: unknown): boolean {
  if (err instanceof DependencyUnavailableError) return false;
  const e = err as { name?: string; code?: string; responseCode?: number } | null;
  if (e?.name === "AbortError") return false; // the caller stopped
  if (e?.code === "OUTBOUND_BLOCKED" || e?.name === "BlockedAddressError") return false;
  if (e?.name === "TimeoutError" || err instanceof TaskCancelledError) return true;
  if (typeof e?.responseCode === "number") return e.responseCode >= 400 && e.responseCode < 500; // SMTP: 4xx = try later
  const status = statusOf(err);
  if (status === null) return true; // no answer at all: connection refused, reset, DNS
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

function defaults(): DependencyOptions {
  const e = env();
  return {
    failureThreshold: e.LAB_BREAKER_FAILURES,
    cooldownMs: e.LAB_BREAKER_COOLDOWN_SECONDS * 1000,
    attempts: e.LAB_OUTBOUND_ATTEMPTS,
    timeoutMs: 30_000,
    initialDelayMs: 250,
    maxDelayMs: 10_000,
    ratePerMinute: e.LAB_OUTBOUND_RPM,
    maxWaitMs: 10_000,
    isFailure: isOutageError,
    retryAfterMs: (err) => {
      const v = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
      return typeof v === "number" && v >= 0 ? v : null;
    },
  };
}

/** Exponential backoff with jitter, unless the dependency named its own wait. */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly inner: IBackoffFactory<IRetryBackoffContext<unknown>>,
    private readonly retryAfter: (err: unknown) => number | null,
    private readonly maxMs: number,
  ) {}
  next(ctx: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const step = this.inner.next(ctx);
    const asked = "error" in ctx.result ? this.retryAfter(ctx.result.error) : null;
    const following = new RetryAfterBackoff(step, this.retryAfter, this.maxMs);
    return { duration: asked === null ? step.duration : Math.min(asked, this.maxMs), next: (c) => following.next(c) };
  }
}

/** Names of {@link CircuitState} values, for messages and the Operations page. */
export const BREAKER_STATE_NAMES: Record<CircuitState, string> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "isolated",
};

/** One outbound dependency: its breaker, retry policy and rate limit. */
export class Dependency {
  readonly options: DependencyOptions;
  readonly breaker: CircuitBreakerPolicy;
  /** Fires before each retry with the wait chosen (`delay`, ms) and the attempt number. */
  readonly onRetry;
  private readonly policy;
  private readonly attemptTimeout;
  private tokens: number;
  private refilledAtMs: number;

  constructor(
    readonly name: string,
    options: Partial<DependencyOptions> = {},
  ) {
    this.options = { ...defaults(), ...options };
    const o = this.options;
    this.breaker = circuitBreaker(
      handleWhen((err) => o.isFailure(err)),
      { halfOpenAfter: o.cooldownMs, breaker: new ConsecutiveBreaker(o.failureThreshold) },
    );
    const retryPolicy = retry(
      handleWhen((err) => !(err instanceof BrokenCircuitError) && o.isFailure(err)),
      {
        maxAttempts: Math.max(0, o.attempts - 1),
        backoff: new RetryAfterBackoff(
          new ExponentialBackoff({ initialDelay: o.initialDelayMs, maxDelay: o.maxDelayMs }),
          o.retryAfterMs,
          o.maxDelayMs * 6,
        ),
      },
    );
    // Each attempt is bounded: a dependency that never answers is a failure like any other.
    // It starts once the attempt has its rate-limit token (see call()).
    this.attemptTimeout = timeout(o.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
    this.policy = wrap(retryPolicy, this.breaker);
    const m = metrics();
    m.breakerState.set({ dependency: name }, CircuitState.Closed);
    this.breaker.onStateChange((state) => m.breakerState.set({ dependency: name }, state));
    retryPolicy.onRetry(() => m.outboundRetries.inc({ dependency: name }));
    this.onRetry = retryPolicy.onRetry;
    this.tokens = o.ratePerMinute;
    this.refilledAtMs = Date.now();
  }

  /** "closed", "open", "half-open" or "isolated". */
  get state(): string {
    return BREAKER_STATE_NAMES[this.breaker.state];
  }

  /** Run `fn` under the rate limit, retries and breaker. `fn` gets an abort signal for its attempt. */
  async call<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const m = metrics();
    try {
      const value = await this.policy.execute(async ({ signal: callSignal }) => {
        await this.takeToken();
        await this.options.beforeAttempt?.();
        return this.attemptTimeout.execute(({ signal: attemptSignal }) => fn(attemptSignal), callSignal);
      }, signal);
      m.outboundCalls.inc({ dependency: this.name, outcome: "ok" });
      recordOutcome("outbound", false);
      return value;
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        const retryAt = Date.now() + this.options.cooldownMs;
        m.outboundCalls.inc({ dependency: this.name, outcome: "rejected" });
        recordOutcome("outbound", true);
        throw new DependencyUnavailableError(
          this.name,
          `${this.name} is failing: calls are paused after ${this.options.failureThreshold} consecutive failures; it is tried again within ${Math.round(this.options.cooldownMs / 1000)} s.`,
          retryAt,
          err,
        );
      }
      const counted = this.options.isFailure(err);
      const rateLimited = err instanceof DependencyUnavailableError;
      m.outboundCalls.inc({ dependency: this.name, outcome: rateLimited ? "rejected" : "error" });
      if (counted || rateLimited) recordOutcome("outbound", true);
      throw err;
    }
  }

  private async takeToken(): Promise<void> {
    const o = this.options;
    const perMs = o.ratePerMinute / 60_000;
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(o.ratePerMinute, this.tokens + (now - this.refilledAtMs) * perMs);
      this.refilledAtMs = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil((1 - this.tokens) / perMs);
      if (waitMs > o.maxWaitMs) {
        metrics().outboundRateLimited.inc({ dependency: this.name });
        throw new DependencyUnavailableError(
          this.name,
          `${this.name}: the outbound limit of ${o.ratePerMinute} calls per minute is used up; try again in ${Math.ceil(waitMs / 1000)} s.`,
          now + waitMs,
        );
      }
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

const KEY = Symbol.for("strategy-lab.dependencies");
type G = typeof globalThis & { [KEY]?: Map<string, Dependency> };

/** The process's one policy for dependency `name` (created on first use with `options`). */
export function dependency(name: string, options?: Partial<DependencyOptions>): Dependency {
  const g = globalThis as G;
  const all = (g[KEY] ??= new Map());
  let dep = all.get(name);
  if (!dep) {
    dep = new Dependency(name, options);
    all.set(name, dep);
  }
  return dep;
}

/**
 * A new policy for dependency `name`, replacing any this process had (a client created once per
 * process with its own settings, e.g. a market-data provider; tests make fresh ones).
 */
export function registerDependency(name: string, options?: Partial<DependencyOptions>): Dependency {
  const g = globalThis as G;
  const dep = new Dependency(name, options);
  (g[KEY] ??= new Map()).set(name, dep);
  return dep;
}

/** Every dependency this process has called, with its breaker state (Operations page, readiness). */
export function dependencyStates(): { name: string; state: string }[] {
  return [...((globalThis as G)[KEY]?.values() ?? [])].map((d) => ({ name: d.name, state: d.state }));
}

/** Forget every dependency (tests). */
export function resetDependencies(): void {
  (globalThis as G)[KEY]?.clear();
}
