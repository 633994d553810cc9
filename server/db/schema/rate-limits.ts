import { doublePrecision, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Counters for rate-limiter-flexible's RateLimiterDrizzle: shared by every app process. */
export const rateLimits = pgTable("rate_limit", {
  key: text("key").primaryKey(),
  points: integer("points").notNull(),
  expire: timestamp("expire"),
});

/**
 * Outbound token buckets shared by every process (server mode): one row per bucket
 * (`market:<provider>:rpm`, `market:<provider>:spacing`), taken with one atomic UPDATE
 * (server/data/providers/shared-rate.ts). Times are the database's clock, ms since the epoch.
 */
export const providerRateBuckets = pgTable("provider_rate_bucket", {
  key: text("key").primaryKey(),
  tokens: doublePrecision("tokens").notNull(),
  updatedMs: doublePrecision("updated_ms").notNull(),
});
