import "server-only";
/**
 * Encryption at rest for workspace secrets (provider API keys, webhook signing secrets): AES-256-GCM with a key derived
 * (SHA-256) from LAB_ENCRYPTION_KEY or, when unset, the generated local secret in the data folder.
 * Stored form: "v1:<iv>:<tag>:<ciphertext>" in base64url. Plain keys are never logged.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { localSecret } from "./data-dir";

const derive = (material: string) => createHash("sha256").update(material, "utf8").digest();

function key(): Buffer {
  return derive(env().LAB_ENCRYPTION_KEY ?? localSecret("encryption"));
}

/** Keys that may open a stored secret: the current one first, then LAB_ENCRYPTION_KEY_PREVIOUS (a rotation in progress). */
export function readableKeys(): Buffer[] {
  const previous = (env().LAB_ENCRYPTION_KEY_PREVIOUS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(derive);
  const current = key();
  return [current, ...previous.filter((k) => !k.equals(current))];
}

/** Encrypts `plain`; every call uses a fresh 96-bit IV. `aad` binds the ciphertext to its owner (e.g. the workspace id). */
export function encryptSecret(plain: string, aad: string, keyBytes: Buffer = key()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyBytes, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(
    ":",
  );
}

/**
 * Decrypts a value from {@link encryptSecret} with `keyBytes`, or else with the current key and
 * then any previous one; throws when it was altered, moved to another owner or no key opens it.
 */
export function decryptSecret(stored: string, aad: string, keyBytes?: Buffer): string {
  if (keyBytes) return decryptWith(stored, aad, keyBytes);
  const keys = readableKeys();
  for (let i = 0; i < keys.length; i++) {
    try {
      return decryptWith(stored, aad, keys[i]);
    } catch (err) {
      if (i === keys.length - 1) throw err;
    }
  }
  throw new Error("No encryption key is configured.");
}

function decryptWith(stored: string, aad: string, keyBytes: Buffer): string {
  const [version, iv, tag, data] = stored.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined)
    throw new Error("The stored secret has an unknown format.");
  const decipher = createDecipheriv("aes-256-gcm", keyBytes, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

/** The last four characters, for "sk-…a1b2" style hints (never more). */
export function secretHint(plain: string): string {
  return plain.length <= 8 ? "…" : `…${plain.slice(-4)}`;
}
