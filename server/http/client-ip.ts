import "server-only";
/**
 * The client's IP. X-Forwarded-For is believed only when the direct peer is a configured
 * trusted proxy (LAB_TRUSTED_PROXIES); then the right-most untrusted hop is the client.
 * Without trusted proxies the header is ignored, so a spoofed header cannot reset a limit.
 */
import { isIP } from "node:net";
import { env } from "@/lib/env";

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

function matches(ip: string, rule: string): boolean {
  const [base, bitsRaw] = rule.split("/");
  if (!bitsRaw) return ip === base;
  if (isIP(ip) !== 4 || isIP(base) !== 4) return ip === base;
  const bits = Number(bitsRaw);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ipv4ToInt(ip) & mask) === (ipv4ToInt(base) & mask);
}

function normalize(ip: string): string {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}

export function trustedProxies(): string[] {
  return env()
    .LAB_TRUSTED_PROXIES.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `peer` is the socket address; `forwardedFor` the X-Forwarded-For header (if any). */
export function clientIp(peer: string | null, forwardedFor: string | null, trusted = trustedProxies()): string | null {
  const direct = peer ? normalize(peer) : null;
  const isTrusted = (ip: string) => trusted.some((rule) => matches(ip, rule));
  if (!direct || !forwardedFor || !isTrusted(direct)) return direct;
  const hops = forwardedFor
    .split(",")
    .map((s) => normalize(s.trim()))
    .filter((s) => isIP(s) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(hops[i])) return hops[i];
  }
  return hops[0] ?? direct;
}

/**
 * Next's route handlers do not expose the socket address; the proxy (proxy.ts) copies it
 * into `x-lab-peer-ip` after deleting any client-sent value, and we read it from there.
 */
export function clientIpFromHeaders(headers: Headers): string | null {
  return clientIp(headers.get("x-lab-peer-ip"), headers.get("x-forwarded-for"));
}

/** Whether the direct peer (the socket address) is a configured trusted proxy. */
export function isTrustedPeer(headers: Headers, trusted = trustedProxies()): boolean {
  const peer = headers.get("x-lab-peer-ip");
  return Boolean(peer) && trusted.some((rule) => matches(normalize(peer as string), rule));
}
