/**
 * Security headers in one place (proxy.ts + server/http/security-headers.ts): every page gets a
 * nonce-based CSP with frame-ancestors, nosniff and a referrer policy; API answers a CSP that
 * allows nothing; HSTS only over HTTPS; the sign-in redirect for workspace pages still works.
 * (The browser check that Monaco, charts and streaming still run under this CSP is
 * playwright/e2e/security-headers.spec.ts.)
 */
import { NextRequest, type NextResponse } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import proxy, { config } from "@/proxy";
import { resetEnvCache } from "@/lib/env";

// Only /r/<token> answers asynchronously (it looks the report up); these paths answer at once.
const get = (url: string, headers: Record<string, string> = {}) =>
  proxy(new NextRequest(url, { headers })) as NextResponse;

describe("security headers", () => {
  afterEach(() => {
    delete process.env.APP_URL;
    resetEnvCache();
  });

  it("pages: nonce-based script policy with frame-ancestors, nosniff, referrer policy; a fresh nonce each time, passed to Next", () => {
    const a = get("http://localhost:3000/w/desk/lab", { cookie: "authjs.session-token=x" });
    const b = get("http://localhost:3000/");
    const csp = a.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
    expect(csp, "no inline or eval scripts in production").not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(a.headers.get("x-frame-options")).toBe("DENY");
    expect(a.headers.get("strict-transport-security"), "plain HTTP: no HSTS").toBeNull();
    expect(b.headers.get("content-security-policy")).not.toContain(`'nonce-${nonce}'`);
    // The nonce reaches the page render through the request's CSP header (Next reads it there).
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
  });

  it("API answers: a policy that allows nothing, nosniff, referrer policy", () => {
    const res = get("http://localhost:3000/api/v1/strategies");
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("HSTS when served over HTTPS (directly, behind a TLS proxy, or APP_URL https)", () => {
    expect(get("https://lab.example.com/").headers.get("strict-transport-security")).toBe(
      "max-age=31536000; includeSubDomains",
    );
    expect(
      get("http://internal:3000/api/health", { "x-forwarded-proto": "https" }).headers.get("strict-transport-security"),
    ).toMatch(/^max-age=/);
    process.env.APP_URL = "https://lab.example.com";
    resetEnvCache();
    expect(get("http://internal:3000/").headers.get("strict-transport-security")).toMatch(/^max-age=/);
  });

  it("workspace pages without a session cookie still redirect to sign-in, with the headers", () => {
    const res = get("http://localhost:3000/w/desk?x=1");
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe("http://localhost:3000/sign-in?callbackUrl=%2Fw%2Fdesk%3Fx%3D1");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(get("http://localhost:3000/invite/abcdefghijkl/accept").status).toBe(307);
    expect(get("http://localhost:3000/invite/abcdefghijkl").status, "previewing an invite needs no session").toBe(200);
  });

  it("runs for pages and the API, not for build assets", () => {
    const re = new RegExp(`^${config.matcher[0].replace("/((?!", "/(?!").replace(").*)", ").*")}$`);
    expect(re.test("/w/desk")).toBe(true);
    expect(re.test("/api/trpc/x")).toBe(true);
    expect(re.test("/_next/static/chunks/a.js")).toBe(false);
  });
});
