/**
 * Request proxy (Next 16's middleware, Node runtime): routing and redirects only.
 * Signed-out visitors of workspace pages go to the sign-in page. Authorization happens in
 * every procedure and route, never here.
 */
import { NextResponse } from "next/server";
import { auth } from "@/server/auth";

export default auth((req) => {
  if (!req.auth?.user) {
    const url = new URL("/sign-in", req.nextUrl.origin);
    url.searchParams.set("callbackUrl", req.nextUrl.pathname + req.nextUrl.search);
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
});

export const config = { matcher: ["/w/:path*", "/invite/:path*/accept"] };
