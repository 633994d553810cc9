import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";
import type { ReportSnapshot } from "../../../lib/reports/snapshot";

/**
 * Published read-only backtest reports: an immutable snapshot reachable at /r/<token> by anyone
 * with the link. Only the SHA-256 of the 256-bit token is stored. No FK to the run: the snapshot
 * outlives it.
 */
export const reports = pgTable(
  "report",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    runId: uuid("run_id").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    title: text("title").notNull(),
    includeCode: boolean("include_code").notNull().default(false),
    snapshot: jsonb("snapshot").$type<ReportSnapshot>().notNull(),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("report_workspace_idx").on(t.workspaceId, t.createdAt)],
);

export type Report = typeof reports.$inferSelect;
