import "server-only";
/**
 * What every market data provider call goes through: a response cache, then the provider's one
 * outbound policy from server/ops/resilience.ts (cockatiel, dependency `market:<provider>`):
 * LAB_OUTBOUND_ATTEMPTS (3) attempts with exponential backoff and jitter, honouring Retry-After;
 * a circuit breaker opened by LAB_BREAKER_FAILURES (5) consecutive failed attempts; and an
 * outbound rate limit of LAB_PROVIDER_RPM (50) calls a minute per provider. A provider may add a
 * stricter spacing of its own (Alpha Vantage's free tier: one call per 12 s), a token bucket on
 * the injected clock taken before each attempt. Each attempt runs the whole transport, so the
 * outbound address check (server/http/outbound.ts) is made on every attempt.
 *
 * Backoff waits, the breaker cooldown and the per-minute limit run on the system timers (tests
 * use fake timers); the cache and the extra spacing use the injected clock.
 *
 * Server mode (DATABASE_URL set) passes a shared {@link RateGate} (./shared-rate.ts): then the
 * per-minute limit and the spacing are token buckets in Postgres, taken before each attempt, so
 * every worker process together stays within the provider's limit; the in-process buckets
 * are not used.
 *
 * Cache: in memory, with a TTL and a bounded entry count. Provider responses are cheap to
 * fetch again and the series the app keeps are saved to the bar store anyway (that is the
 * durable copy), so a database cache would only add a table and a migration for data that is
 * stale within minutes. Each process has its own cache; that only costs an extra request.
 */

import { CircuitState } from "cockatiel";
import { env } from "@/lib/env";
import { metrics } from "@/server/ops/metrics";
import { DependencyUnavailableError, registerDependency, type Dependency } from "@/server/ops/resilience";
import type { RateGate } from "./shared-rate";

/** Stands for "no in-process limit" when a shared gate does the limiting (finite: the bucket arithmetic stays real). */
const UNLIMITED_PER_MINUTE = 1e9;

/** Injected time and randomness. */
export interface ResilienceClock {
  /** Current time, ms. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), for jitter. */
  random: () => number;
}

/** Tuning of one provider's {@link Resilience}. Defaults in {@link DEFAULT_RESILIENCE} and lib/env.ts. */
export interface ResilienceOptions {
  /** Attempts per call, including the first (LAB_OUTBOUND_ATTEMPTS). */
  maxAttempts: number;
  /** First backoff delay, ms; grows exponentially (with jitter) up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this fails the call at once instead of waiting. */
  maxRetryAfterMs: number;
  /** Outbound calls per minute to this provider (LAB_PROVIDER_RPM). */
  ratePerMinute: number;
  /** Optional stricter spacing of the provider's own: token bucket burst size and tokens added per second. */
  bucketCapacity?: number;
  refillPerSecond?: number;
  /** Consecutive failed attempts that open the breaker (LAB_BREAKER_FAILURES), and how long it stays open. */
  breakerThreshold: number;
  breakerCooldownMs: number;
  /** Cache lifetime of a successful response, ms (0 = no cache), and entry bound (least recently used evicted first). */
  cacheTtlMs: number;
  cacheMaxEntries: number;
}

/** Seed defaults; attempts, rate and breaker threshold are read from the environment when a provider is created. */
export const DEFAULT_RESILIENCE: ResilienceOptions = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
  ratePerMinute: 50,
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

/** Cache, rate limit, retries and breaker of one provider. */
export class Resilience {
  readonly options: ResilienceOptions;
  /** The provider's outbound policy (dependency `market:<provider>`). */
  readonly dependency: Dependency;
  private readonly spacing: TokenBucket | null;
  private openedAtMs: number | null = null;
  private readonly cache = new Map<string, { expiresMs: number; value: unknown }>();
  /** Calls answered from the cache / that had to go to the provider (cacheable calls only). */
  cacheHits = 0;
  cacheMisses = 0;

  constructor(
    readonly provider: string,
    readonly clock: ResilienceClock,
    options: Partial<ResilienceOptions> = {},
    /** Shared buckets (server mode); null keeps the limits in this process. */
    private readonly gate: RateGate | null = null,
  ) {
    const e = env();
    this.options = {
      ...DEFAULT_RESILIENCE,
      maxAttempts: e.LAB_OUTBOUND_ATTEMPTS,
      ratePerMinute: e.LAB_PROVIDER_RPM,
      breakerThreshold: e.LAB_BREAKER_FAILURES,
      ...options,
    };
    const o = this.options;
    this.spacing =
      o.bucketCapacity !== undefined && o.refillPerSecond !== undefined && !gate
        ? new TokenBucket(o.bucketCapacity, o.refillPerSecond, clock)
        : null;
    this.dependency = registerDependency(`market:${provider}`, {
      attempts: o.maxAttempts,
      initialDelayMs: o.baseDelayMs,
      maxDelayMs: o.maxDelayMs,
      failureThreshold: o.breakerThreshold,
      cooldownMs: o.breakerCooldownMs,
      ratePerMinute: gate ? UNLIMITED_PER_MINUTE : o.ratePerMinute,
      // Calls past the per-minute limit wait their turn (a hydration queues many); none is refused for it.
      maxWaitMs: Number.POSITIVE_INFINITY,
      isFailure: (err) => err instanceof TransientProviderError,
      // The provider's own spacing and the shared buckets: waited for before the attempt's timeout starts.
      beforeAttempt: () => this.takeTokens(),
      retryAfterMs: (err) => (err instanceof TransientProviderError ? err.retryAfterMs : null),
    });
    this.dependency.breaker.onBreak(() => (this.openedAtMs = Date.now()));
    this.dependency.breaker.onReset(() => (this.openedAtMs = null));
  }

  /** The breaker's state now (open past its cooldown reads as half-open: the next call is the trial). */
  get breakerState(): BreakerState {
    const state = this.dependency.breaker.state;
    if (state === CircuitState.Closed) return "closed";
    const opened = this.openedAtMs;
    return state === CircuitState.HalfOpen || (opened !== null && Date.now() - opened >= this.options.breakerCooldownMs)
      ? "half-open"
      : "open";
  }

  /**
   * Run `attempt` with the cache (under `cacheKey`, when given), then the provider's policy:
   * rate limit, retries on {@link TransientProviderError} and the breaker. Any other error is
   * not retried and does not count against the breaker (the provider answered; the request or
   * body was bad).
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
    const m = metrics();
    const label = { provider: this.provider };
    try {
      const value = await this.dependency.call(async () => {
        try {
          const v = await attempt();
          m.marketDataCalls.inc({ ...label, outcome: "ok" });
          return v;
        } catch (err) {
          m.marketDataCalls.inc({ ...label, outcome: "error" });
          m.marketDataErrors.inc(label);
          if (
            err instanceof TransientProviderError &&
            err.retryAfterMs !== null &&
            err.retryAfterMs > this.options.maxRetryAfterMs
          ) {
            // A wait longer than we are prepared to hold the caller for: fail now, not retried.
            throw new ProviderUnavailableError(
              this.provider,
              `${err.message}; asked to retry after ${Math.round(err.retryAfterMs / 1000)} s`,
              this.clock.now() + err.retryAfterMs,
              err,
            );
          }
          throw err;
        }
      });
      if (cacheKey !== null && this.options.cacheTtlMs > 0) this.remember(cacheKey, value);
      return value;
    } catch (err) {
      if (err instanceof DependencyUnavailableError) {
        m.marketDataCalls.inc({ ...label, outcome: "rejected" });
        const opened = this.openedAtMs;
        const retryAt = opened === null ? err.retryAtMs : opened + this.options.breakerCooldownMs;
        const breakerOpen = this.dependency.breaker.state !== CircuitState.Closed;
        throw new ProviderUnavailableError(
          this.provider,
          breakerOpen
            ? `circuit open after repeated failures; next try after ${new Date(retryAt ?? Date.now()).toISOString()}`
            : err.message,
          retryAt,
          err,
        );
      }
      if (err instanceof TransientProviderError) {
        throw new ProviderUnavailableError(
          this.provider,
          `${err.message} (gave up after ${this.options.maxAttempts} attempts)`,
          null,
          err,
        );
      }
      throw err;
    }
  }

  /** The per-minute limit and the provider's own spacing, when they are shared; else the in-process spacing. */
  private async takeTokens(): Promise<void> {
    const o = this.options;
    if (!this.gate) {
      if (this.spacing) await this.spacing.take();
      return;
    }
    await this.gate.take(`market:${this.provider}:rpm`, o.ratePerMinute, o.ratePerMinute / 60);
    if (o.bucketCapacity !== undefined && o.refillPerSecond !== undefined)
      await this.gate.take(`market:${this.provider}:spacing`, o.bucketCapacity, o.refillPerSecond);
  }

  /** Whether the limits are shared across processes (server mode). */
  get sharedLimits(): boolean {
    return this.gate !== null;
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
