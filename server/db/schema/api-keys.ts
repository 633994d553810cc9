import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { ApiKeyScope } from "@/lib/roles";
import { workspaces } from "./workspaces";

/** API keys: the full key is shown once; only its SHA-256 is stored. */
export const apiKeys = pgTable(
  "api_key",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** First characters of the key, shown in lists and used to revoke (`sl_` + 8 chars). */
    prefix: text("prefix").notNull().unique(),
    keyHash: text("key_hash").notNull().unique(),
    scopes: text("scopes").array().$type<ApiKeyScope[]>().notNull(),
    createdBy: text("created_by"),
    createdByLabel: text("created_by_label"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_key_workspace_idx").on(t.workspaceId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
