import "server-only";
/**
 * Server-side sessions behind the signed JWT cookie. Each sign-in gets a random session id
 * (`sid`, carried inside the encrypted JWT) and a row in the `session` table; every request's
 * session check (the Auth.js `jwt` callback, behind `auth()` in pages, tRPC and route handlers)
 * requires that row. Signing out deletes it, so a captured cookie stops working at once;
 * "sign out everywhere", a password change and removal from the last workspace delete them all.
 *
 * A lookup is cached in this process for {@link CACHE_MS} (one page render calls `auth()` several
 * times); ending a session here drops the cached entry, other processes notice within that time.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, ne } from "drizzle-orm";
import type { DbOrTx } from "@/server/db";
import { sessions } from "@/server/db/schema";

/** Idle lifetime of a session (Auth.js's default JWT max age). */
export const SESSION_MAX_AGE_MS = 30 * 86_400_000;
const RENEW_AFTER_MS = 86_400_000;
const CACHE_MS = 1_000;

const cache = new Map<string, { userId: string | null; at: number }>();

/** The row key: a hash, so the table alone never holds a usable session id. */
const rowKey = (sid: string) => createHash("sha256").update(sid).digest("base64url");

/** A new session for `userId`; returns the id to put in the JWT. Expired rows of the user are swept. */
export async function startSession(db: DbOrTx, userId: string, now = new Date()): Promise<string> {
  const sid = randomBytes(32).toString("base64url");
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expires, now)));
  await db
    .insert(sessions)
    .values({ sessionToken: rowKey(sid), userId, expires: new Date(now.getTime() + SESSION_MAX_AGE_MS) });
  return sid;
}

/** Whether `sid` is a live session of `userId` (sliding expiry, renewed at most once a day). */
export async function isSessionActive(db: DbOrTx, sid: string, userId: string, now = new Date()): Promise<boolean> {
  const hit = cache.get(sid);
  if (hit && now.getTime() - hit.at < CACHE_MS) return hit.userId === userId;
  const key = rowKey(sid);
  const [row] = await db
    .select({ userId: sessions.userId, expires: sessions.expires })
    .from(sessions)
    .where(and(eq(sessions.sessionToken, key), gt(sessions.expires, now)))
    .limit(1);
  cache.set(sid, { userId: row?.userId ?? null, at: now.getTime() });
  if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
  if (!row || row.userId !== userId) return false;
  if (row.expires.getTime() - now.getTime() < SESSION_MAX_AGE_MS - RENEW_AFTER_MS) {
    await db
      .update(sessions)
      .set({ expires: new Date(now.getTime() + SESSION_MAX_AGE_MS) })
      .where(eq(sessions.sessionToken, key));
  }
  return true;
}

/** End one session (sign-out). */
export async function endSession(db: DbOrTx, sid: string): Promise<void> {
  cache.delete(sid);
  await db.delete(sessions).where(eq(sessions.sessionToken, rowKey(sid)));
}

/** End every session of `userId` (except `keepSid`, when given); returns how many ended. */
export async function endAllSessions(db: DbOrTx, userId: string, keepSid?: string): Promise<number> {
  for (const [sid, v] of cache) if (v.userId === userId && sid !== keepSid) cache.delete(sid);
  const where = keepSid
    ? and(eq(sessions.userId, userId), ne(sessions.sessionToken, rowKey(keepSid)))
    : eq(sessions.userId, userId);
  const ended = await db.delete(sessions).where(where).returning({ key: sessions.sessionToken });
  return ended.length;
}
