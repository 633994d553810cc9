import "server-only";
/** Sign-up and credential checks (with per-IP and per-account throttling stored in the database). */
import { eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { signUpInput } from "@/lib/schemas/workspaces";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { users } from "@/server/db/schema";
import { hashPassword, passwordProblem, verifyPassword } from "@/server/auth/password";
import { endAllSessions } from "@/server/auth/sessions";
import { recordAudit } from "./audit";
import { consumeLimit, peekLimit, resetLimit, type LimitSpec } from "./rate-limit";
import type { Actor } from "@/server/auth/access";

const signInSpec = (): LimitSpec => ({
  points: env().LAB_SIGNIN_LIMIT,
  durationSeconds: 15 * 60,
  message: "Too many sign-in attempts.",
});
const signUpSpec = (): LimitSpec => ({
  points: env().LAB_SIGNUP_PER_HOUR,
  durationSeconds: 60 * 60,
  message: "Too many sign-ups from this address.",
});

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
}

/** `operator` set: created from the operator CLI (audited as the operator, not limited per IP). */
export async function signUp(db: Db, raw: unknown, ip: string | null, operator?: Actor): Promise<PublicUser> {
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppError("INVALID_INPUT", first?.message ?? "Invalid sign-up details.");
  }
  const input = parsed.data;
  const weak = passwordProblem(input.password);
  if (weak) throw new AppError("INVALID_INPUT", weak, { fieldErrors: { password: [weak] } });
  if (!operator) await consumeLimit(db, "signup-ip", ip ?? "unknown", signUpSpec());
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
    if (existing) throw new AppError("CONFLICT", "An account with this email already exists. Sign in instead.");
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name || null, passwordHash })
      .returning({ id: users.id, email: users.email, name: users.name });
    await recordAudit(tx, {
      action: operator ? "user.created" : "user.signed_up",
      actor: operator ?? { type: "user", id: user.id, label: input.email, ip },
      target: { type: "user", id: user.id },
    });
    return { id: user.id, email: user.email ?? input.email, name: user.name };
  });
}

/**
 * Check email + password. Throttled per IP and per account before the hash is checked, so a
 * guesser learns nothing from timing once over the limit. Returns null on bad credentials.
 */
export async function authenticate(
  db: Db,
  email: string,
  password: string,
  ip: string | null,
): Promise<PublicUser | null> {
  const normalized = email.trim().toLowerCase();
  const spec = signInSpec();
  await consumeLimit(db, "signin-ip", ip ?? "unknown", spec);
  await consumeLimit(db, "signin-account", normalized, spec);
  const [user] = await db.select().from(users).where(eq(users.email, normalized)).limit(1);
  if (!user?.passwordHash) return null;
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  await resetLimit(db, "signin-account", normalized, spec);
  return { id: user.id, email: user.email ?? normalized, name: user.name };
}

/** Seconds until sign-in is allowed again for this IP or account (0 when it is allowed now). */
export async function signInRetryAfter(db: Db, email: string, ip: string | null): Promise<number> {
  const spec = signInSpec();
  const byIp = await peekLimit(db, "signin-ip", ip ?? "unknown", spec);
  const byAccount = await peekLimit(db, "signin-account", email.trim().toLowerCase(), spec);
  let wait = 0;
  if (byIp.consumed >= spec.points) wait = Math.max(wait, byIp.resetSeconds);
  if (byAccount.consumed >= spec.points) wait = Math.max(wait, byAccount.resetSeconds);
  return wait;
}

/** End every session of the signed-in user on every device (the current one too). */
export async function signOutEverywhere(db: Db, actor: Actor & { id: string }): Promise<{ sessionsEnded: number }> {
  return db.transaction(async (tx) => {
    const sessionsEnded = await endAllSessions(tx, actor.id);
    await recordAudit(tx, {
      action: "user.signed_out_everywhere",
      actor,
      target: { type: "user", id: actor.id },
      metadata: { sessionsEnded },
    });
    return { sessionsEnded };
  });
}

/**
 * Change the password after checking the current one (throttled like sign-in). Every session
 * of the account ends, so a stolen cookie dies with the old password; the user signs in again.
 */
export async function changePassword(
  db: Db,
  actor: Actor & { id: string },
  input: { currentPassword: string; newPassword: string },
): Promise<{ sessionsEnded: number }> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.id)).limit(1);
  if (!user?.passwordHash || !user.email)
    throw new AppError(
      "INVALID_INPUT",
      "This account signs in through GitHub or Google and has no password to change.",
    );
  await consumeLimit(db, "signin-account", user.email, signInSpec());
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("INVALID_INPUT", "The current password is wrong.", {
      fieldErrors: { currentPassword: ["The current password is wrong."] },
    });
  }
  const weak = passwordProblem(input.newPassword);
  if (weak) throw new AppError("INVALID_INPUT", weak, { fieldErrors: { newPassword: [weak] } });
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id));
    const sessionsEnded = await endAllSessions(tx, actor.id);
    await recordAudit(tx, {
      action: "user.password_changed",
      actor,
      target: { type: "user", id: actor.id },
      metadata: { sessionsEnded },
    });
    return { sessionsEnded };
  });
}
