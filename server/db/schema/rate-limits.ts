import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Counters for rate-limiter-flexible's RateLimiterDrizzle: shared by every app process. */
export const rateLimits = pgTable("rate_limit", {
  key: text("key").primaryKey(),
  points: integer("points").notNull(),
  expire: timestamp("expire"),
});
