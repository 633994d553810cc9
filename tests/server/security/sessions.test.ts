/**
 * OWASP API2 (broken authentication): signing out ends the session on the server. The real
 * Auth.js request handling (@auth/core, with our configuration) signs in with a password and
 * hands out a cookie; after sign-out, "sign out everywhere", a password change or removal from
 * the last workspace, that captured cookie no longer yields a session — the same check `auth()`
 * runs for pages, tRPC and route handlers.
 */
import { Auth } from "@auth/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { buildAuthConfig } from "@/server/auth/config";
import { setDatabaseForTests } from "@/server/db";
import { auditLog, memberships, sessions } from "@/server/db/schema";
import {
  callerFor,
  PASSWORD,
  seedUser,
  seedWorkspace,
  type SeededUser,
  type SeededWorkspace,
} from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";

const BASE = "http://localhost:3000/api/auth";

function cookieHeader(res: Response, jar: Map<string, string>): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair.indexOf("=");
    const name = pair.slice(0, i);
    const value = pair.slice(i + 1);
    if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
    else jar.set(name, value);
  }
}
const toHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

describe.each(DRIVERS)("sessions end on the server (%s)", (driver) => {
  let t: TestDatabase;
  let s: SeededWorkspace;

  beforeAll(async () => {
    // Every sign-in here comes from the same (unknown) address; the per-IP limit is not under test.
    process.env.LAB_SIGNIN_LIMIT = "1000";
    resetEnvCache();
    t = await createTestDatabase(driver);
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
  });
  afterAll(async () => {
    delete process.env.LAB_SIGNIN_LIMIT;
    resetEnvCache();
    await t?.close();
  });

  let lastSetCookies: string[] = [];

  async function handle(
    path: string,
    init: RequestInit & { jar: Map<string, string>; base?: string },
  ): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.jar.size) headers.set("cookie", toHeader(init.jar));
    const config = await buildAuthConfig();
    const res = await Auth(new Request(`${init.base ?? BASE}${path}`, { ...init, headers }), {
      ...config,
      basePath: "/api/auth",
    } as Parameters<typeof Auth>[1]);
    lastSetCookies = res.headers.getSetCookie();
    cookieHeader(res, init.jar);
    return res;
  }

  /** Sign in like the browser form does; returns the cookie jar holding the session cookie. */
  async function signIn(user: SeededUser, password = PASSWORD, base = BASE): Promise<Map<string, string>> {
    const jar = new Map<string, string>();
    const csrf = (await (await handle("/csrf", { method: "GET", jar, base })).json()).csrfToken as string;
    const form = new URLSearchParams({ csrfToken: csrf, email: user.email, password, callbackUrl: "/w" });
    const res = await handle("/callback/credentials", {
      method: "POST",
      jar,
      base,
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(302);
    expect(
      [...jar.keys()].some((k) => k.includes("session-token")),
      "signed in",
    ).toBe(true);
    return jar;
  }

  async function sessionOf(jar: Map<string, string>): Promise<string | null> {
    const copy = new Map(jar);
    const res = await handle("/session", { method: "GET", jar: copy });
    const body = await res.json();
    return body?.user?.id ?? null;
  }

  async function signOut(jar: Map<string, string>): Promise<void> {
    const csrf = (await (await handle("/csrf", { method: "GET", jar })).json()).csrfToken as string;
    await handle("/signout", {
      method: "POST",
      jar,
      body: new URLSearchParams({ csrfToken: csrf }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }

  it("a cookie captured before sign-out no longer authenticates afterwards; another device stays signed in", async () => {
    const user = s.users.member;
    const laptop = await signIn(user);
    const phone = await signIn(user);
    const captured = new Map(laptop);
    expect(await sessionOf(captured)).toBe(user.id);
    await signOut(laptop);
    expect(await sessionOf(captured), "the captured cookie is dead").toBeNull();
    expect(await sessionOf(phone), "signing out one device leaves the others").toBe(user.id);
  });

  it("sign out everywhere ends every session of the account (and is audited)", async () => {
    const user = s.users.viewer;
    const a = await signIn(user);
    const b = await signIn(user);
    const result = await callerFor(t.db, user).account.signOutEverywhere();
    expect(result.sessionsEnded).toBeGreaterThanOrEqual(2);
    expect(await sessionOf(a)).toBeNull();
    expect(await sessionOf(b)).toBeNull();
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "user.signed_out_everywhere"));
    expect(audit.map((r) => r.targetId)).toContain(user.id);
  });

  it("a password change ends every session; the new password signs in, the old one does not", async () => {
    const user = await seedUser(t.db, "pw");
    const jar = await signIn(user);
    await callerFor(t.db, user).account.changePassword({
      currentPassword: PASSWORD,
      newPassword: "a brand new secret 7",
    });
    expect(await sessionOf(jar)).toBeNull();
    const fresh = await signIn(user, "a brand new secret 7");
    expect(await sessionOf(fresh)).toBe(user.id);
    await expect(
      callerFor(t.db, user).account.changePassword({
        currentPassword: "wrong password 1",
        newPassword: "another secret 99",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("removal from the last workspace ends the person's sessions; removal from one of several does not", async () => {
    const user = await seedUser(t.db, "removed");
    await t.db.insert(memberships).values([
      { workspaceId: s.workspaceId, userId: user.id, role: "member" },
      { workspaceId: s.otherWorkspaceId, userId: user.id, role: "member" },
    ]);
    const jar = await signIn(user);
    await callerFor(t.db, s.outsider).members.remove({ workspaceId: s.otherWorkspaceId, userId: user.id });
    expect(await sessionOf(jar), "still a member elsewhere").toBe(user.id);
    await callerFor(t.db, s.users.owner).members.remove({ workspaceId: s.workspaceId, userId: user.id });
    expect(await sessionOf(jar)).toBeNull();
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  });

  it("session cookies are HttpOnly and SameSite=Lax; over HTTPS, or with an https APP_URL, Secure with the __Secure- prefix", async () => {
    const user = await seedUser(t.db, "cookies");
    const session = () => lastSetCookies.find((c) => c.includes("authjs.session-token=")) ?? "";
    await signIn(user);
    expect(session()).toMatch(/^authjs\.session-token=/);
    expect(session()).toMatch(/; HttpOnly/i);
    expect(session()).toMatch(/; SameSite=Lax/i);
    await signIn(user, PASSWORD, "https://lab.example.com/api/auth");
    expect(session()).toMatch(/^__Secure-authjs\.session-token=.*; Secure/i);
    process.env.APP_URL = "https://lab.example.com";
    resetEnvCache();
    try {
      await signIn(user, PASSWORD, "http://10.0.0.5:3000/api/auth");
      expect(session(), "behind a TLS proxy that does not say so, APP_URL decides").toMatch(
        /^__Secure-authjs\.session-token=.*; Secure/i,
      );
    } finally {
      delete process.env.APP_URL;
      resetEnvCache();
    }
  });

  it("a token without a server-side session (forged sid, or issued before sessions were stored) is refused", async () => {
    const jar = await signIn(s.users.admin);
    await t.db.delete(sessions).where(eq(sessions.userId, s.users.admin.id));
    await new Promise((r) => setTimeout(r, 1_100)); // past the per-process lookup cache
    expect(await sessionOf(jar)).toBeNull();
  });
});
