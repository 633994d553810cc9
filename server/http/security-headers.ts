/**
 * The security headers of every page and API answer, in one place (applied by proxy.ts).
 *
 * Pages get a Content-Security-Policy with a fresh nonce per request: Next reads the nonce from
 * the request's CSP header and puts it on its own scripts; `'strict-dynamic'` lets those load
 * the rest of the app's chunks, and nothing else runs. Styles allow inline (Monaco and the
 * charts set style attributes and inject style elements at run time); Monaco's workers come
 * from same-origin files or blob: URLs. API answers are data: they get a policy that allows
 * nothing. No imports: proxy.ts must not pull in server/ code with database drivers.
 * @server-only-exempt: imported by proxy.ts (no secrets, no I/O).
 */

export interface SecurityHeaderOptions {
  /** Per-request nonce for pages; null for API answers. */
  nonce: string | null;
  /** Served over HTTPS (directly or behind a TLS-terminating proxy): adds HSTS. */
  https: boolean;
  /** Development server: React's dev tooling needs eval. */
  dev: boolean;
  /** Extra origins forms may post or redirect to (OAuth providers). */
  formActions?: readonly string[];
}

/** A random nonce (128 bits, base64). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(o: SecurityHeaderOptions): string {
  if (o.nonce === null) return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${(o.formActions ?? []).map((a) => ` ${a}`).join("")}`,
    "frame-ancestors 'none'",
  ];
  if (o.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Every header to set on the answer (the CSP included). */
export function securityHeaders(o: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(o),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  };
  if (o.https) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}
