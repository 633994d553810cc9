import "server-only";
/**
 * The public origin for links the server hands out (report share links): APP_URL when set,
 * else X-Forwarded-Host/-Proto from a trusted proxy (LAB_TRUSTED_PROXIES). The request's own
 * Host header is never used — anyone can forge it — so without either the link is a path
 * (`/r/…`) that the client resolves against the address it used.
 */
import { env } from "@/lib/env";
import { isTrustedPeer } from "./client-ip";

const first = (v: string | null) => v?.split(",")[0]?.trim() || null;

export function publicOrigin(headers: Headers): string | null {
  const appUrl = env().APP_URL;
  if (appUrl) return new URL(appUrl).origin;
  if (!isTrustedPeer(headers)) return null;
  const host = first(headers.get("x-forwarded-host"));
  const proto = first(headers.get("x-forwarded-proto")) ?? "https";
  if (!host || (proto !== "http" && proto !== "https")) return null;
  try {
    const url = new URL(`${proto}://${host}`);
    // A host header carrying a path, credentials or the like is not a host.
    return url.host === host.toLowerCase() ? url.origin : null;
  } catch {
    return null;
  }
}
