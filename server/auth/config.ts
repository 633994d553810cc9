import "server-only";
/**
 * Auth.js configuration: email + password (argon2id, throttled in the database), plus GitHub
 * and Google when their env vars are set. JWT sessions; the Drizzle adapter links OAuth accounts.
 * Built lazily per request so nothing opens the database at import time.
 */
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { NextAuthConfig } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { z } from "zod";
import { env } from "@/lib/env";
import { safeText } from "@/lib/schemas/text";
import { getDb } from "@/server/db";
import { localSecret } from "@/server/db/data-dir";
import { accounts, sessions, users, verificationTokens } from "@/server/db/schema";
import { clientIpFromHeaders } from "@/server/http/client-ip";
import { authenticate } from "@/server/services/accounts";
import { endSession, isSessionActive, startSession } from "./sessions";

const credentialsInput = z.object({ email: safeText().max(254), password: safeText().max(200) });

/** OAuth providers that are configured (the sign-in page shows only these). */
export function oauthProviders(): { id: "github" | "google"; name: string }[] {
  const e = env();
  const out: { id: "github" | "google"; name: string }[] = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) out.push({ id: "github", name: "GitHub" });
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET) out.push({ id: "google", name: "Google" });
  return out;
}

export function authSecret(): string {
  return env().AUTH_SECRET ?? localSecret("auth");
}

/**
 * Secrets Auth.js accepts: the current one signs new sessions; AUTH_SECRET_PREVIOUS (during a
 * rotation window) still opens sessions signed before the switch (docs/operations.md).
 */
export function authSecrets(): string[] {
  const previous = (env().AUTH_SECRET_PREVIOUS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return [authSecret(), ...previous.filter((p) => p !== authSecret())];
}

export async function buildAuthConfig(): Promise<NextAuthConfig> {
  const e = env();
  const db = await getDb();
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) return null;
        const ip = request ? clientIpFromHeaders(request.headers) : null;
        const user = await authenticate(db, parsed.data.email, parsed.data.password, ip);
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET)
    providers.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET)
    providers.push(Google({ clientId: e.AUTH_GOOGLE_ID, clientSecret: e.AUTH_GOOGLE_SECRET }));
  return {
    // The adapter's typings want one concrete driver; our Db is the common pg-core base of all three.
    adapter: (DrizzleAdapter as unknown as (db: unknown, schema: unknown) => Adapter)(db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    session: { strategy: "jwt" },
    secret: authSecrets(),
    trustHost: true,
    pages: { signIn: "/sign-in" },
    providers,
    callbacks: {
      // Runs on every session check: a token whose server-side session ended (sign-out, sign out
      // everywhere, password change, removal from the last workspace) is refused — null clears it.
      async jwt({ token, user }) {
        if (user?.id) {
          token.sub = user.id;
          token.sid = await startSession(db, user.id);
          return token;
        }
        const sid = typeof token.sid === "string" ? token.sid : null;
        if (!token.sub || !sid || !(await isSessionActive(db, sid, token.sub))) return null;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : null;
        if (typeof sid === "string") await endSession(db, sid);
      },
    },
    // Cookies are HttpOnly and SameSite=Lax; Secure (with the __Secure- prefix) whenever the
    // request arrived over HTTPS, and always when the public URL is HTTPS.
    ...(e.APP_URL?.startsWith("https:") ? { useSecureCookies: true } : {}),
    logger: {
      error(error) {
        // Wrong passwords are routine; log them without a stack trace.
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        console.error("[auth]", error);
      },
    },
  };
}
