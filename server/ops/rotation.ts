import "server-only";
/**
 * Rotation of the encryption key for secrets at rest (workspace provider keys, webhook signing
 * secrets). Procedure (docs/operations.md): deploy with LAB_ENCRYPTION_KEY = new and
 * LAB_ENCRYPTION_KEY_PREVIOUS = old (reads accept both, writes use the new one), run
 * `npm run lab -- admin rotate-encryption-key`, then drop LAB_ENCRYPTION_KEY_PREVIOUS.
 *
 * The re-encryption runs in one transaction: every stored secret is opened with any accepted key
 * and sealed again with the current key, or nothing changes (a secret no key opens is named).
 */
import { createHash } from "node:crypto";
import { and, desc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "@/server/db";
import { alertChannels, auditLog, workspaceProviderKeys } from "@/server/db/schema";
import { decryptSecret, encryptSecret } from "@/server/db/secrets";

export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RotationError";
  }
}

/** Re-encrypt every stored secret with the current key; audited. Returns how many of each. */
export async function rotateEncryptionKey(
  db: Db,
  actorLabel: string,
): Promise<{ providerKeys: number; webhookSecrets: number }> {
  return db.transaction(async (tx) => {
    const open = (stored: string, aad: string, what: string) => {
      try {
        return decryptSecret(stored, aad);
      } catch {
        throw new RotationError(
          `${what} cannot be decrypted with LAB_ENCRYPTION_KEY or LAB_ENCRYPTION_KEY_PREVIOUS; set the key it was written with as LAB_ENCRYPTION_KEY_PREVIOUS and run again (nothing was changed)`,
        );
      }
    };
    const keys = await tx.select().from(workspaceProviderKeys).where(isNotNull(workspaceProviderKeys.encryptedKey));
    for (const k of keys) {
      const plain = open(k.encryptedKey ?? "", k.workspaceId, `the ${k.provider} key of workspace ${k.workspaceId}`);
      await tx
        .update(workspaceProviderKeys)
        .set({ encryptedKey: encryptSecret(plain, k.workspaceId) })
        .where(eq(workspaceProviderKeys.id, k.id));
    }
    const channels = await tx.select().from(alertChannels).where(isNotNull(alertChannels.secretEnc));
    for (const c of channels) {
      const plain = open(c.secretEnc ?? "", c.workspaceId, `the signing secret of channel ${c.id} ("${c.name}")`);
      await tx
        .update(alertChannels)
        .set({ secretEnc: encryptSecret(plain, c.workspaceId) })
        .where(eq(alertChannels.id, c.id));
    }
    const counts = { providerKeys: keys.length, webhookSecrets: channels.length };
    await tx.insert(auditLog).values({
      workspaceId: null,
      actorType: "operator",
      actorId: null,
      actorLabel,
      action: "secrets.encryption_key_rotated",
      targetType: "database",
      metadata: counts,
    });
    return counts;
  });
}

/** A short fingerprint of a secret (SHA-256 prefix; the secret cannot be recovered from it). */
const fingerprint = (secret: string) =>
  createHash("sha256").update(`strategy-lab:${secret}`).digest("hex").slice(0, 16);

/**
 * Audit AUTH_SECRET changes: AUTH_SECRET is rotated by deploying a new value (with the old one in
 * AUTH_SECRET_PREVIOUS), so the app records it when it starts with a secret set it has not
 * recorded before. Returns whether a record was written.
 */
export async function auditAuthSecrets(db: Db, secrets: string[]): Promise<boolean> {
  const [current, ...previous] = secrets.map(fingerprint);
  const [last] = await db
    .select({ metadata: auditLog.metadata })
    .from(auditLog)
    .where(and(eq(auditLog.action, "auth.secrets_changed"), isNull(auditLog.workspaceId)))
    .orderBy(desc(auditLog.id))
    .limit(1);
  const before = last?.metadata as { current?: string; previous?: string[] } | undefined;
  if (before?.current === current && JSON.stringify(before.previous ?? []) === JSON.stringify(previous)) return false;
  await db.insert(auditLog).values({
    workspaceId: null,
    actorType: "system",
    actorLabel: "app start",
    action: "auth.secrets_changed",
    targetType: "auth_secret",
    metadata: { current, previous, replaced: before?.current ?? null },
  });
  return true;
}
