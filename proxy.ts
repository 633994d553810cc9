/**
 * Request proxy (Next 16's middleware, Node runtime): routing and redirects only.
 * Visitors of workspace pages without a session cookie go to the sign-in page. Whether the
 * session is valid — and everything about authorization — is checked by the pages, every
 * procedure and every route, never here.
 *
 * Deliberately imports nothing from server/: the Auth.js instance pulls in the database
 * drivers (external ESM packages), which makes this module async, and Next then cannot find
 * the proxy's exported function ("must export a function named `proxy`").
 */
import { NextResponse, type NextRequest } from "next/server";

/** Auth.js session cookie names (plain and `__Secure-` over HTTPS; large tokens are chunked as `.0`, `.1`, …). */
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

export default function proxy(req: NextRequest) {
  const hasSession = req.cookies.getAll().some((c) => SESSION_COOKIE.test(c.name) && c.value !== "");
  if (!hasSession) {
    const url = new URL("/sign-in", req.nextUrl.origin);
    url.searchParams.set("callbackUrl", req.nextUrl.pathname + req.nextUrl.search);
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
}

export const config = { matcher: ["/w/:path*", "/invite/:path*/accept"] };
