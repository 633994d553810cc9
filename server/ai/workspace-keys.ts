import "server-only";
/**
 * A workspace's own provider keys: stored encrypted (see ./secrets.ts), listed with a
 * four-character hint only, decrypted solely to call the provider. Never logged.
 */
import { and, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/server/db";
import { workspaceProviderKeys } from "@/server/db/schema";
import { assertUserTarget } from "@/server/http/outbound";
import { recordAudit } from "@/server/services/audit";
import {
  DEFAULT_MODELS,
  envCredentials,
  listModels,
  defaultModelId,
  mergeCredentials,
  type ModelInfo,
  type ProviderCredentials,
  type ProviderName,
} from "./providers";
import { decryptSecret, encryptSecret, secretHint } from "@/server/db/secrets";
import type { WorkspaceCaller } from "@/server/auth/access";

/** What the settings page may see of a stored key. */
export interface ProviderKeyView {
  provider: ProviderName;
  keyHint: string | null;
  baseUrl: string | null;
  models: string[];
  updatedAt: Date;
}

export async function listProviderKeys(db: DbOrTx, workspaceId: string): Promise<ProviderKeyView[]> {
  const rows = await db.select().from(workspaceProviderKeys).where(eq(workspaceProviderKeys.workspaceId, workspaceId));
  return rows.map((r) => ({
    provider: r.provider,
    keyHint: r.keyHint,
    baseUrl: r.baseUrl,
    models: r.models,
    updatedAt: r.updatedAt,
  }));
}

export async function setProviderKey(
  db: Db,
  caller: WorkspaceCaller,
  input: { provider: ProviderName; apiKey?: string; baseUrl?: string; models?: string[] },
): Promise<ProviderKeyView> {
  // A workspace's LLM base URL must be a public address (LAB_OUTBOUND_ALLOW aside); every call checks again after DNS.
  if (input.baseUrl) await assertUserTarget("baseUrl", input.baseUrl);
  const encryptedKey = input.apiKey ? encryptSecret(input.apiKey, caller.workspaceId) : null;
  const values = {
    workspaceId: caller.workspaceId,
    provider: input.provider,
    encryptedKey,
    keyHint: input.apiKey ? secretHint(input.apiKey) : null,
    baseUrl: input.baseUrl ?? null,
    models: input.models ?? [],
    createdBy: caller.actor.userId ?? caller.actor.id,
    updatedAt: new Date(),
  };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(workspaceProviderKeys)
      .values(values)
      .onConflictDoUpdate({
        target: [workspaceProviderKeys.workspaceId, workspaceProviderKeys.provider],
        set: {
          encryptedKey,
          keyHint: values.keyHint,
          baseUrl: values.baseUrl,
          models: values.models,
          updatedAt: values.updatedAt,
        },
      })
      .returning();
    await recordAudit(tx, {
      action: "provider_key.updated",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "provider_key", id: input.provider },
      metadata: { provider: input.provider, hasKey: Boolean(encryptedKey) },
    });
    return {
      provider: row.provider,
      keyHint: row.keyHint,
      baseUrl: row.baseUrl,
      models: row.models,
      updatedAt: row.updatedAt,
    };
  });
}

export async function deleteProviderKey(db: Db, caller: WorkspaceCaller, provider: ProviderName): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .delete(workspaceProviderKeys)
      .where(
        and(eq(workspaceProviderKeys.workspaceId, caller.workspaceId), eq(workspaceProviderKeys.provider, provider)),
      );
    await recordAudit(tx, {
      action: "provider_key.deleted",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "provider_key", id: provider },
    });
  });
}

/** Decrypted credentials of a workspace (server-side only). A key that no longer decrypts is skipped. */
export async function workspaceCredentials(db: DbOrTx, workspaceId: string): Promise<ProviderCredentials[]> {
  const rows = await db.select().from(workspaceProviderKeys).where(eq(workspaceProviderKeys.workspaceId, workspaceId));
  const out: ProviderCredentials[] = [];
  for (const r of rows) {
    let apiKey: string | null = null;
    if (r.encryptedKey) {
      try {
        apiKey = decryptSecret(r.encryptedKey, workspaceId);
      } catch {
        console.warn(
          `[ai] the stored ${r.provider} key of workspace ${workspaceId} cannot be decrypted (encryption key changed?); skipped`,
        );
        continue;
      }
    }
    if (r.provider === "openai-compatible" && (!r.baseUrl || r.models.length === 0)) continue;
    if (r.provider !== "openai-compatible" && !apiKey) continue;
    const models =
      r.models.length > 0 ? r.models : r.provider === "openai-compatible" ? [] : DEFAULT_MODELS[r.provider];
    out.push({ provider: r.provider, apiKey, baseUrl: r.baseUrl, models, origin: "workspace" });
  }
  return out;
}

/** Credentials in effect for a workspace: its own keys over the server's. */
export async function effectiveCredentials(db: DbOrTx, workspaceId: string): Promise<ProviderCredentials[]> {
  return mergeCredentials(envCredentials(), await workspaceCredentials(db, workspaceId));
}

/** The model picker's content. */
export async function availableModels(
  db: DbOrTx,
  workspaceId: string,
): Promise<{ models: ModelInfo[]; defaultModel: string }> {
  const models = listModels(await effectiveCredentials(db, workspaceId));
  return { models, defaultModel: defaultModelId(models) };
}
