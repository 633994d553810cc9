import "server-only";
/**
 * Rate limits stored in the database (table rate_limit), so they hold across app processes.
 * Each named limit has points per window; `consumeLimit` throws LIMIT_EXCEEDED with the
 * seconds to wait, and returns the figures for RateLimit-* headers when allowed.
 */
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db";
import { rateLimits } from "@/server/db/schema";
import { metrics } from "@/server/ops/metrics";

export interface LimitSpec {
  points: number;
  durationSeconds: number;
  /** Sentence shown to the caller when the limit is hit. */
  message: string;
}

export interface LimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

const limiters = new WeakMap<object, Map<string, RateLimiterDrizzle>>();

function limiterFor(db: DbOrTx, name: string, spec: LimitSpec): RateLimiterDrizzle {
  let byName = limiters.get(db);
  if (!byName) {
    byName = new Map();
    limiters.set(db, byName);
  }
  const id = `${name}:${spec.points}:${spec.durationSeconds}`;
  let limiter = byName.get(id);
  if (!limiter) {
    limiter = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: name,
      points: spec.points,
      duration: spec.durationSeconds,
      clearExpiredByTimeout: false,
    });
    byName.set(id, limiter);
  }
  return limiter;
}

/** Take `cost` points from `key` under the named limit; throws AppError("LIMIT_EXCEEDED") when over. */
export async function consumeLimit(
  db: DbOrTx,
  name: string,
  key: string,
  spec: LimitSpec,
  cost = 1,
): Promise<LimitState> {
  const limiter = limiterFor(db, name, spec);
  try {
    const res = await limiter.consume(key, cost);
    return { limit: spec.points, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      metrics().rateLimitRefusals.inc({ limit: name });
      const retry = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new AppError("LIMIT_EXCEEDED", `${spec.message} Try again in ${retry} s.`, { retryAfterSeconds: retry });
    }
    throw err;
  }
}

/** Points already used and seconds until the window resets, without consuming any. */
export async function peekLimit(
  db: DbOrTx,
  name: string,
  key: string,
  spec: LimitSpec,
): Promise<{ consumed: number; resetSeconds: number }> {
  const res = await limiterFor(db, name, spec).get(key);
  return {
    consumed: res?.consumedPoints ?? 0,
    resetSeconds: res ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0,
  };
}

export async function resetLimit(db: DbOrTx, name: string, key: string, spec: LimitSpec): Promise<void> {
  await limiterFor(db, name, spec).delete(key);
}
