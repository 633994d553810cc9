import "server-only";
/**
 * Outbound rate limits that hold across processes (server mode: several workers on the queue
 * call the same provider). Each limit is a token bucket stored as one `provider_rate_bucket`
 * row; a token is taken by a single UPDATE whose WHERE clause requires a whole token after
 * refill, so two processes can never both take the last one (Postgres re-checks the WHERE on
 * the row's newest version when it waited for the other's lock). Refill uses the database's
 * clock, so machines with skewed clocks share one notion of time.
 *
 * The embedded default (one process) keeps the in-memory buckets in ./resilience.ts.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db";
import { rowsOf } from "@/server/db/rows";

/** Takes tokens from named buckets, waiting until one is available. */
export interface RateGate {
  /** Wait for and take one token of bucket `key` (burst `capacity`, refilled at `perSecond`). */
  take(key: string, capacity: number, perSecond: number): Promise<void>;
}

/**
 * Try once to take a token: `{ grantedAtMs }` (the database's time of the grant) when taken,
 * else `{ waitMs }` until one will be there.
 */
export async function tryTakeToken(
  db: DbOrTx,
  key: string,
  capacity: number,
  perSecond: number,
): Promise<{ grantedAtMs: number } | { waitMs: number }> {
  const perMs = perSecond / 1000;
  const now = sql`(extract(epoch from clock_timestamp()) * 1000)::float8`;
  const taken = rowsOf(
    await db.execute(sql`
      with c as (select ${now} as now_ms)
      update provider_rate_bucket b
      set tokens = least(${capacity}::float8, b.tokens + greatest(0, c.now_ms - b.updated_ms) * ${perMs}::float8) - 1,
          updated_ms = greatest(b.updated_ms, c.now_ms)
      from c
      where b.key = ${key}
        and least(${capacity}::float8, b.tokens + greatest(0, c.now_ms - b.updated_ms) * ${perMs}::float8) >= 1
      returning c.now_ms`),
  );
  if (taken.length > 0) return { grantedAtMs: Number(taken[0].now_ms) };
  const [row] = rowsOf(
    await db.execute(sql`
      select least(${capacity}::float8, tokens + greatest(0, ${now} - updated_ms) * ${perMs}::float8) as available
      from provider_rate_bucket where key = ${key}`),
  );
  if (!row) {
    // First use of this bucket anywhere: create it full, then take from it like everyone else.
    await db.execute(sql`
      insert into provider_rate_bucket (key, tokens, updated_ms) values (${key}, ${capacity}::float8, ${now})
      on conflict (key) do nothing`);
    return { waitMs: 0 };
  }
  const available = Number(row.available);
  return { waitMs: Math.max(1, Math.ceil((1 - available) / perMs)) };
}

/**
 * A {@link RateGate} on the shared database. `sleep` waits between tries (tests inject it);
 * a wait is capped at `maxPollMs` so a process notices a bucket refilled or reconfigured.
 */
export function postgresRateGate(
  db: () => Promise<DbOrTx>,
  opts: {
    sleep?: (ms: number) => Promise<void>;
    maxPollMs?: number;
    /** Told of every token taken, with the database's time of the grant (metrics, tests). */
    onGrant?: (key: string, grantedAtMs: number) => void;
  } = {},
): RateGate {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxPollMs = opts.maxPollMs ?? 5_000;
  return {
    async take(key, capacity, perSecond) {
      if (!(capacity >= 1) || !(perSecond > 0) || !Number.isFinite(perSecond))
        throw new RangeError(`rate bucket ${key}: capacity ${capacity} and refill ${perSecond}/s must be positive`);
      const handle = await db();
      for (;;) {
        const r = await tryTakeToken(handle, key, capacity, perSecond);
        if ("grantedAtMs" in r) {
          opts.onGrant?.(key, r.grantedAtMs);
          return;
        }
        if (r.waitMs > 0) await sleep(Math.min(r.waitMs, maxPollMs));
      }
    },
  };
}
