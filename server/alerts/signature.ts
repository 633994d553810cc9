import "server-only";
/**
 * Webhook signatures. Each delivery carries `X-Lab-Timestamp: <unix seconds>` and
 * `X-Lab-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the channel secret>`.
 * Receivers recompute it and reject timestamps older than a few minutes (replay protection).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A new webhook secret: shown to the admin once, stored encrypted, never logged. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

export function signPayload(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex")}`;
}

/** Constant-time check of a received signature (for receivers and tests). */
export function verifySignature(secret: string, timestampSeconds: number, body: string, header: string): boolean {
  const expected = Buffer.from(signPayload(secret, timestampSeconds, body));
  const got = Buffer.from(header);
  return expected.length === got.length && timingSafeEqual(expected, got);
}
