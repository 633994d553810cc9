/** Outbound resilience on a fake clock: breaker, retries with backoff, Retry-After, rate limit, error budget. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RollingFailureWindow } from "@/server/ops/error-budget";
import { metrics } from "@/server/ops/metrics";
import { Dependency, DependencyUnavailableError, dependency, resetDependencies } from "@/server/ops/resilience";

const outage = () => Object.assign(new Error("503 Service Unavailable"), { status: 503 });

async function gauge(dep: string): Promise<number | undefined> {
  return (await metrics().breakerState.get()).values.find((v) => v.labels.dependency === dep)?.value;
}

/** Settle `p` while advancing the fake clock, so retries and waits elapse. */
async function settle<T>(p: Promise<T>, ms = 120_000): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  const out = p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await vi.advanceTimersByTimeAsync(ms);
  return out;
}

describe("outbound dependency policy", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-01-05T10:00:00Z") });
    resetDependencies();
  });
  afterEach(() => vi.useRealTimers());

  it("opens after 5 consecutive failures, refuses without calling, goes half-open after the cooldown and closes on a good trial", async () => {
    const dep = new Dependency("test-breaker", { attempts: 1, cooldownMs: 30_000 });
    const fn = vi.fn(async () => {
      throw outage();
    });
    for (let i = 0; i < 5; i++) {
      const r = await settle(dep.call(fn), 0);
      expect(r.ok).toBe(false);
      expect((r as { error: Error }).error.message).toBe("503 Service Unavailable");
    }
    expect(fn).toHaveBeenCalledTimes(5);
    expect(dep.state).toBe("open");
    expect(await gauge("test-breaker")).toBe(1);
    const refused = await settle(dep.call(fn), 0);
    expect((refused as { error: unknown }).error).toBeInstanceOf(DependencyUnavailableError);
    expect((refused as { error: Error }).error.message).toBe(
      "test-breaker is failing: calls are paused after 5 consecutive failures; it is tried again within 30 s.",
    );
    expect(fn, "an open breaker does not call out").toHaveBeenCalledTimes(5);

    await vi.advanceTimersByTimeAsync(29_000);
    expect((await settle(dep.call(fn), 0)).ok).toBe(false);
    expect(fn, "still open 29 s later").toHaveBeenCalledTimes(5);
    await vi.advanceTimersByTimeAsync(1_000);
    const trial = await settle(dep.call(async () => "fine"));
    expect(trial).toEqual({ ok: true, value: "fine" });
    expect(dep.state).toBe("closed");
    expect(await gauge("test-breaker")).toBe(0);
  });

  it("a failed half-open trial opens the breaker again", async () => {
    const dep = new Dependency("test-reopen", { attempts: 1, failureThreshold: 5, cooldownMs: 10_000 });
    for (let i = 0; i < 5; i++)
      await settle(
        dep.call(async () => Promise.reject(outage())),
        0,
      );
    await vi.advanceTimersByTimeAsync(10_000);
    const fn = vi.fn(async () => Promise.reject(outage()));
    await settle(dep.call(fn), 0);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(dep.state).toBe("open");
    await settle(dep.call(fn), 0);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("makes 3 attempts with growing, jittered backoff, then gives up with the last error", async () => {
    const dep = new Dependency("test-retry", { initialDelayMs: 1_000, maxDelayMs: 30_000 });
    const at: number[] = [];
    const r = await settle(
      dep.call(async () => {
        at.push(Date.now());
        throw outage();
      }),
    );
    expect(r.ok).toBe(false);
    expect(at.length).toBe(3);
    const waits = [at[1] - at[0], at[2] - at[1]];
    for (const w of waits) expect(w).toBeGreaterThan(0);
    for (const w of waits) expect(w).toBeLessThanOrEqual(30_000);
    expect(
      (await metrics().outboundRetries.get()).values.find((v) => v.labels.dependency === "test-retry")?.value,
    ).toBe(2);
  });

  it("succeeds on a later attempt, honours Retry-After, and never retries a 4xx or counts it against the breaker", async () => {
    const dep = new Dependency("test-after", { attempts: 3, failureThreshold: 2 });
    const at: number[] = [];
    let n = 0;
    const r = await settle(
      dep.call(async () => {
        at.push(Date.now());
        if (++n === 1) throw Object.assign(new Error("429"), { status: 429, retryAfterMs: 4_000 });
        return "ok";
      }),
    );
    expect(r).toEqual({ ok: true, value: "ok" });
    expect(at[1] - at[0], "waited exactly what Retry-After asked").toBe(4_000);

    const bad = vi.fn(async () => Promise.reject(Object.assign(new Error("400 bad request"), { status: 400 })));
    for (let i = 0; i < 5; i++) expect((await settle(dep.call(bad))).ok).toBe(false);
    expect(bad, "one call each, no retries").toHaveBeenCalledTimes(5);
    expect(dep.state, "the dependency answered: not an outage").toBe("closed");
  });

  it("rate-limits outbound calls per dependency: 50 per minute, then waits or refuses", async () => {
    const dep = new Dependency("test-rate", { ratePerMinute: 50, maxWaitMs: 5_000 });
    for (let i = 0; i < 50; i++) await dep.call(async () => i);
    const started = Date.now();
    const next = await settle(dep.call(async () => Date.now()));
    expect(next.ok).toBe(true);
    expect((next as { value: number }).value - started, "one token every 60/50 s").toBe(1_200);

    const strict = new Dependency("test-rate-strict", { ratePerMinute: 2, maxWaitMs: 1_000 });
    await strict.call(async () => 1);
    await strict.call(async () => 2);
    const refused = await settle(
      strict.call(async () => 3),
      0,
    );
    expect((refused as { error: Error }).error.message).toBe(
      "test-rate-strict: the outbound limit of 2 calls per minute is used up; try again in 30 s.",
    );
    expect(
      (await metrics().outboundRateLimited.get()).values.find((v) => v.labels.dependency === "test-rate-strict")?.value,
    ).toBe(1);
  });

  it("times out an attempt that never settles, counts it as a failure and retries", async () => {
    const dep = new Dependency("test-timeout", { attempts: 2, timeoutMs: 5_000, failureThreshold: 2 });
    let calls = 0;
    const started = Date.now();
    const r = await settle(
      dep.call(() => {
        calls++;
        return new Promise<never>(() => undefined);
      }),
    );
    expect(r.ok).toBe(false);
    expect(calls).toBe(2);
    expect(Date.now() - started, "two 5 s attempts and one backoff").toBeGreaterThanOrEqual(10_000);
    expect(dep.state, "two timeouts in a row open a breaker with threshold 2").toBe("open");
  });

  it("keeps one policy per dependency", () => {
    expect(dependency("llm:openai")).toBe(dependency("llm:openai"));
    expect(dependency("llm:openai")).not.toBe(dependency("llm:anthropic"));
  });
});

describe("error budget window", () => {
  it("is the failed share over the last hour", () => {
    const w = new RollingFailureWindow();
    const t0 = Date.parse("2026-01-05T10:00:00Z");
    for (let i = 0; i < 94; i++) w.record(false, t0 + i * 1000);
    for (let i = 0; i < 6; i++) w.record(true, t0 + 30 * 60_000 + i);
    expect(w.ratio(t0 + 30 * 60_000 + 10)).toBeCloseTo(6 / 100, 12);
    // 61 minutes after the successes, only the 6 failures are in the window.
    expect(w.ratio(t0 + 61 * 60_000 + 59_000)).toBe(1);
    expect(w.ratio(t0 + 92 * 60_000)).toBe(0);
  });
});
