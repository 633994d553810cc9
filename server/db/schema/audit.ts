import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Append-only record of every state change. A trigger (migration 0001) rejects UPDATE and
 * DELETE. No foreign keys: the trail outlives deleted users, keys and workspaces.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id"),
    actorType: text("actor_type").$type<"user" | "api_key" | "operator" | "system">().notNull(),
    actorId: text("actor_id"),
    /** Email of the user or name of the key at the time of the action. */
    actorLabel: text("actor_label"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    ip: text("ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_workspace_created_idx").on(t.workspaceId, t.createdAt),
    index("audit_workspace_action_idx").on(t.workspaceId, t.action),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
