/**
 * Request proxy (Next 16's middleware, Node runtime): routing, redirects and response headers.
 * - Every page and API answer gets the security headers (server/http/security-headers.ts):
 *   pages a per-request CSP nonce (passed to Next through the request's CSP header), API
 *   answers a policy that allows nothing; HSTS when served over HTTPS.
 * - Visitors of workspace pages without a session cookie go to the sign-in page. Whether the
 *   session is valid — and everything about authorization — is checked by the pages, every
 *   procedure and every route, never here.
 *
 * Deliberately imports nothing from server/ that touches the database: the Auth.js instance
 * pulls in the database drivers (external ESM packages), which makes this module async, and
 * Next then cannot find the proxy's exported function ("must export a function named `proxy`").
 */
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { newNonce, securityHeaders } from "@/server/http/security-headers";
import { methodNotAllowed } from "@/server/http/v1/allowed-methods";

/** Auth.js session cookie names (plain and `__Secure-` over HTTPS; large tokens are chunked as `.0`, `.1`, …). */
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;
/** Pages that need a session: workspaces and accepting an invite. */
const NEEDS_SESSION = [/^\/w(\/|$)/, /^\/invite\/[^/]+\/accept$/];

function servedOverHttps(req: NextRequest): boolean {
  // A forged X-Forwarded-Proto only adds HSTS to a plain-HTTP answer, where browsers ignore it.
  const forwarded = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return req.nextUrl.protocol === "https:" || forwarded === "https" || Boolean(env().APP_URL?.startsWith("https:"));
}

function oauthFormActions(): string[] {
  const e = env();
  const out: string[] = [];
  if (e.AUTH_GITHUB_ID) out.push("https://github.com");
  if (e.AUTH_GOOGLE_ID) out.push("https://accounts.google.com");
  return out;
}

/** A shared report link: `/r/<token>` (not its preview image below it). */
const REPORT_LINK = /^\/r\/([^/]+)$/;

/**
 * A dead `/r/<token>` link is answered here with 404/410 and the friendly page (Next pages
 * cannot answer 410); live links and every other path go on synchronously.
 */
export default function proxy(req: NextRequest): NextResponse | Promise<NextResponse> {
  const reportToken =
    req.method === "GET" || req.method === "HEAD" ? REPORT_LINK.exec(req.nextUrl.pathname)?.[1] : undefined;
  if (!reportToken) return respond(req, null);
  // Imported on use: a top-level import of the database would make this module async (see above).
  return import("@/server/http/report-link")
    .then((m) => m.deadReportResponse(reportToken))
    .then((dead) => respond(req, dead));
}

function respond(req: NextRequest, dead: Response | null): NextResponse {
  const path = req.nextUrl.pathname;
  const api = path.startsWith("/api/");
  const nonce = api ? null : newNonce();
  const headers = securityHeaders({
    nonce,
    https: servedOverHttps(req),
    dev: env().NODE_ENV === "development",
    formActions: oauthFormActions(),
  });

  let res: NextResponse;
  const hasSession = req.cookies.getAll().some((c) => SESSION_COOKIE.test(c.name) && c.value !== "");
  const notAllowed = api ? methodNotAllowed(req.method, path) : null;
  if (notAllowed) {
    res = new NextResponse(notAllowed.body, { status: 405, headers: notAllowed.headers });
  } else if (dead) {
    res = new NextResponse(dead.body, { status: dead.status, headers: dead.headers });
  } else if (!hasSession && NEEDS_SESSION.some((re) => re.test(path))) {
    const url = new URL("/sign-in", req.nextUrl.origin);
    url.searchParams.set("callbackUrl", req.nextUrl.pathname + req.nextUrl.search);
    res = NextResponse.redirect(url);
  } else if (nonce) {
    // Next takes the nonce for its own scripts from the request's CSP header.
    const forwarded = new Headers(req.headers);
    forwarded.set("x-nonce", nonce);
    forwarded.set("content-security-policy", headers["Content-Security-Policy"]);
    res = NextResponse.next({ request: { headers: forwarded } });
  } else {
    res = NextResponse.next();
  }
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

// Everything but build assets (hashed, immutable files served by Next itself).
export const config = { matcher: ["/((?!_next/static|_next/image|favicon\\.ico).*)"] };
