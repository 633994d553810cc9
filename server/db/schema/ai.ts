import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

/**
 * A workspace's prompt template overrides, append-only: each save or rollback is a new
 * version; the highest version of a name is in use. `text` null means "back to the default".
 */
export const promptTemplateVersions = pgTable(
  "prompt_template_version",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    version: integer("version").notNull(),
    text: text("text"),
    note: text("note"),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("prompt_template_version_unique").on(t.workspaceId, t.name, t.version)],
);

/**
 * A workspace's own provider credentials. The key is encrypted at rest (AES-256-GCM, the
 * workspace id as associated data) and never leaves the server; `keyHint` is its last four characters.
 */
export const workspaceProviderKeys = pgTable(
  "workspace_provider_key",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    provider: text("provider").$type<"openai" | "anthropic" | "google" | "openai-compatible">().notNull(),
    encryptedKey: text("encrypted_key"),
    keyHint: text("key_hint"),
    baseUrl: text("base_url"),
    models: jsonb("models").$type<string[]>().notNull().default([]),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("workspace_provider_key_unique").on(t.workspaceId, t.provider),
    index("workspace_provider_key_ws_idx").on(t.workspaceId),
  ],
);

export type PromptTemplateVersion = typeof promptTemplateVersions.$inferSelect;
export type WorkspaceProviderKey = typeof workspaceProviderKeys.$inferSelect;
