import "server-only";
/**
 * What every market data provider call goes through: a response cache, a token-bucket rate
 * limit, retries with exponential backoff and jitter (honouring Retry-After), and a circuit
 * breaker (cockatiel's, one per provider instance; providers are created once per process in
 * server/data/provider-import.ts). Clock, sleep and randomness are injected so tests run
 * instantly; the breaker's cooldown runs on the system clock.
 *
 * Cache: in memory, with a TTL and a bounded entry count. Provider responses are cheap to
 * fetch again and the series the app keeps are saved to the bar store anyway (that is the
 * durable copy), so a database cache would only add a table and a migration for data that is
 * stale within minutes. Each process has its own cache; that only costs an extra request.
 */

import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleType,
  type CircuitBreakerPolicy,
} from "cockatiel";
import { recordOutcome } from "@/server/ops/error-budget";
import { metrics } from "@/server/ops/metrics";

/** Injected time and randomness. */
export interface ResilienceClock {
  /** Current time, ms. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), for jitter. */
  random: () => number;
}

/** Tuning of one provider's {@link Resilience}. Defaults in {@link DEFAULT_RESILIENCE}. */
export interface ResilienceOptions {
  /** Attempts per call, including the first. */
  maxAttempts: number;
  /** First backoff delay, ms; doubles each retry up to `maxDelayMs`, then scaled by jitter in [0.5, 1). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this fails the call at once instead of waiting. */
  maxRetryAfterMs: number;
  /** Token bucket: burst size and tokens added per second. */
  bucketCapacity: number;
  refillPerSecond: number;
  /** Consecutive failed attempts that open the breaker, and how long it stays open. */
  breakerThreshold: number;
  breakerCooldownMs: number;
  /** Cache lifetime of a successful response, ms (0 = no cache), and entry bound (least recently used evicted first). */
  cacheTtlMs: number;
  cacheMaxEntries: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
  bucketCapacity: 5,
  refillPerSecond: 1,
  breakerThreshold: 5,
  breakerCooldownMs: 60_000,
  cacheTtlMs: 5 * 60_000,
  cacheMaxEntries: 100,
};

/** An attempt failed in a way worth retrying (429, 5xx, network error, timeout). */
export class TransientProviderError extends Error {
  readonly retryAfterMs: number | null;
  constructor(message: string, retryAfterMs: number | null = null, cause?: unknown) {
    super(message, { cause });
    this.name = "TransientProviderError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** The provider is failing: every retry was used, or its circuit breaker is open. */
export class ProviderUnavailableError extends Error {
  readonly provider: string;
  /** When the provider may be tried again (ms), when known. */
  readonly retryAtMs: number | null;
  constructor(provider: string, message: string, retryAtMs: number | null = null, cause?: unknown) {
    super(`${provider}: ${message}`, { cause });
    this.name = "ProviderUnavailableError";
    this.provider = provider;
    this.retryAtMs = retryAtMs;
  }
}

/** Token bucket: `take()` resolves when a token is available. */
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;
  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly clock: ResilienceClock,
  ) {
    this.tokens = capacity;
    this.updatedMs = clock.now();
  }
  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedMs) / 1000) * this.refillPerSecond);
    this.updatedMs = now;
  }
  /** Wait for and consume one token. */
  async take(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000));
    }
  }
}

/** Circuit breaker states: closed (normal), open (refusing), half-open (one trial call allowed). */
export type BreakerState = "closed" | "open" | "half-open";

/**
 * A provider's circuit breaker: cockatiel's, opening after `threshold` consecutive transient
 * failures and letting one trial through after `cooldownMs` (cockatiel reads the system clock;
 * the injected clock drives backoff, the bucket and the cache). State is exported as the metric
 * `lab_breaker_state{dependency="market:<provider>"}`.
 */
function providerBreaker(
  provider: string,
  threshold: number,
  cooldownMs: number,
): { policy: CircuitBreakerPolicy; openedAtMs: () => number | null } {
  const policy = circuitBreaker(handleType(TransientProviderError), {
    halfOpenAfter: cooldownMs,
    breaker: new ConsecutiveBreaker(threshold),
  });
  let openedAt: number | null = null;
  const gauge = metrics().breakerState;
  gauge.set({ dependency: `market:${provider}` }, CircuitState.Closed);
  policy.onBreak(() => (openedAt = Date.now()));
  policy.onReset(() => (openedAt = null));
  policy.onStateChange((state) => gauge.set({ dependency: `market:${provider}` }, state));
  return { policy, openedAtMs: () => openedAt };
}

/** Cache, rate limit, retries and breaker of one provider. */
export class Resilience {
  readonly options: ResilienceOptions;
  private readonly breaker: ReturnType<typeof providerBreaker>;
  private readonly bucket: TokenBucket;
  private readonly cache = new Map<string, { expiresMs: number; value: unknown }>();
  /** Calls answered from the cache / that had to go to the provider (cacheable calls only). */
  cacheHits = 0;
  cacheMisses = 0;

  constructor(
    readonly provider: string,
    readonly clock: ResilienceClock,
    options: Partial<ResilienceOptions> = {},
  ) {
    this.options = { ...DEFAULT_RESILIENCE, ...options };
    this.bucket = new TokenBucket(this.options.bucketCapacity, this.options.refillPerSecond, clock);
    this.breaker = providerBreaker(provider, this.options.breakerThreshold, this.options.breakerCooldownMs);
  }

  /** The breaker's state now. */
  get breakerState(): BreakerState {
    const state = this.breaker.policy.state;
    if (state === CircuitState.Closed) return "closed";
    const opened = this.breaker.openedAtMs();
    return state === CircuitState.HalfOpen || (opened !== null && Date.now() - opened >= this.options.breakerCooldownMs)
      ? "half-open"
      : "open";
  }

  /** Backoff before retry number `retry` (1-based): exponential, capped, with jitter in [0.5, 1). */
  backoffMs(retry: number): number {
    const raw = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (retry - 1));
    return Math.round(raw * (0.5 + this.clock.random() / 2));
  }

  /**
   * Run `attempt` with the cache (under `cacheKey`, when given), the rate limit, retries on
   * {@link TransientProviderError} and the breaker. Any other error is not retried and does
   * not count against the breaker (the provider answered; the request or body was bad).
   */
  async call<T>(cacheKey: string | null, attempt: () => Promise<T>): Promise<T> {
    if (cacheKey !== null) {
      const hit = this.cache.get(cacheKey);
      // Least recently used goes first: a hit moves to the end of the map's order.
      if (hit) this.cache.delete(cacheKey);
      if (hit && hit.expiresMs > this.clock.now()) {
        this.cache.set(cacheKey, hit);
        this.cacheHits++;
        metrics().cacheHits.inc({ cache: `market:${this.provider}` });
        return hit.value as T;
      }
      this.cacheMisses++;
      metrics().cacheMisses.inc({ cache: `market:${this.provider}` });
    }
    let lastError: TransientProviderError | null = null;
    const m = metrics();
    const label = { provider: this.provider };
    for (let n = 1; n <= this.options.maxAttempts; n++) {
      const state = this.breaker.policy.state;
      if (state === CircuitState.Open || state === CircuitState.Isolated || state === CircuitState.HalfOpen) {
        // Open: refused until the cooldown is over. Half-open: the one trial is already out.
        const opened = this.breaker.openedAtMs();
        const retryAt = opened === null ? null : opened + this.options.breakerCooldownMs;
        if (state !== CircuitState.Open || retryAt === null || Date.now() < retryAt) {
          m.marketDataCalls.inc({ ...label, outcome: "rejected" });
          throw new ProviderUnavailableError(
            this.provider,
            `circuit open after repeated failures; next try after ${new Date(retryAt ?? Date.now()).toISOString()}`,
            retryAt,
            lastError ?? undefined,
          );
        }
      }
      await this.bucket.take();
      try {
        const value = await this.breaker.policy.execute(() => attempt());
        m.marketDataCalls.inc({ ...label, outcome: "ok" });
        recordOutcome("outbound", false);
        if (cacheKey !== null && this.options.cacheTtlMs > 0) this.remember(cacheKey, value);
        return value;
      } catch (err) {
        if (err instanceof BrokenCircuitError) {
          m.marketDataCalls.inc({ ...label, outcome: "rejected" });
          const opened = this.breaker.openedAtMs();
          const retryAt = opened === null ? null : opened + this.options.breakerCooldownMs;
          throw new ProviderUnavailableError(
            this.provider,
            `circuit open after repeated failures; next try after ${new Date(retryAt ?? Date.now()).toISOString()}`,
            retryAt,
            lastError ?? undefined,
          );
        }
        m.marketDataCalls.inc({ ...label, outcome: "error" });
        m.marketDataErrors.inc(label);
        if (!(err instanceof TransientProviderError)) throw err;
        recordOutcome("outbound", true);
        lastError = err;
        if (n === this.options.maxAttempts) break;
        if (err.retryAfterMs !== null && err.retryAfterMs > this.options.maxRetryAfterMs) {
          throw new ProviderUnavailableError(
            this.provider,
            `${err.message}; asked to retry after ${Math.round(err.retryAfterMs / 1000)} s`,
            this.clock.now() + err.retryAfterMs,
            err,
          );
        }
        await this.clock.sleep(err.retryAfterMs ?? this.backoffMs(n));
      }
    }
    throw new ProviderUnavailableError(
      this.provider,
      `${lastError?.message ?? "failed"} (gave up after ${this.options.maxAttempts} attempts)`,
      null,
      lastError ?? undefined,
    );
  }

  private remember(key: string, value: unknown): void {
    if (this.cache.size >= this.options.cacheMaxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, { expiresMs: this.clock.now() + this.options.cacheTtlMs, value });
  }
}

/** Parse a Retry-After header (seconds or an HTTP date) into ms from `nowMs`; null if absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** The real clock (server use). */
export const systemClock: ResilienceClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};
