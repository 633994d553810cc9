import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Processes that work the queues, each writing `seenAt` on a heartbeat. Readiness
 * (/api/health/ready) asks for at least one worker seen within LAB_JOB_HEARTBEAT_SECONDS.
 */
export const workerHeartbeats = pgTable("worker_heartbeat", {
  /** host:pid:start, unique per process. */
  id: text("id").primaryKey(),
  /** "app" (in-process worker) or "worker" (`npm run worker`). */
  role: text("role").notNull(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  version: text("version").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
  seenAt: timestamp("seen_at", { withTimezone: true }).notNull(),
});
