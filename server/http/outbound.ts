import "server-only";
/**
 * Outbound address rules (SSRF guard) for every call the server makes to an address a user
 * can influence: webhook channels, per-workspace LLM base URLs, market-data providers (and the
 * `next` links they return). Refused: loopback, private, link-local, CGNAT, multicast, reserved
 * and documentation ranges, cloud metadata addresses, in IPv4 and IPv6 — including IPv4-mapped,
 * -compatible, NAT64 and 6to4 forms. Encoded IPv4 hosts (`http://2130706433/`, `0x7f.1`, octal)
 * are normalised by the WHATWG URL parser before the check.
 *
 * Names are checked after DNS resolution, inside the connection's own `lookup`, so the address
 * checked is the address connected to (a name that re-resolves to an internal address later is
 * refused then). Redirects are followed by hand, each hop checked the same way.
 *
 * LAB_OUTBOUND_ALLOW (hosts, IPs or CIDRs, comma-separated) lets an operator permit internal
 * targets in self-hosted setups.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";

/** An outbound target the address rules refuse (its message names the address and why). */
export class BlockedAddressError extends Error {
  readonly code = "OUTBOUND_BLOCKED";
  constructor(message: string) {
    super(message);
    this.name = "BlockedAddressError";
  }
}

const V4_RANGES: [string, number, string][] = [
  ["0.0.0.0", 8, 'an unspecified ("this network") address'],
  ["10.0.0.0", 8, "a private address"],
  ["100.64.0.0", 10, "a carrier-grade NAT address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local (cloud metadata) address"],
  ["172.16.0.0", 12, "a private address"],
  ["192.0.0.0", 24, "an IETF protocol address"],
  ["192.0.2.0", 24, "a documentation address"],
  ["192.88.99.0", 24, "a 6to4 relay address"],
  ["192.168.0.0", 16, "a private address"],
  ["198.18.0.0", 15, "a benchmarking address"],
  ["198.51.100.0", 24, "a documentation address"],
  ["203.0.113.0", 24, "a documentation address"],
  ["224.0.0.0", 4, "a multicast address"],
  ["240.0.0.0", 4, "a reserved or broadcast address"],
];
const V6_RANGES: [string, number, string][] = [
  ["::", 128, "an unspecified address"],
  ["::1", 128, "a loopback address"],
  ["100::", 64, "a discard-only address"],
  ["2001:db8::", 32, "a documentation address"],
  ["fc00::", 7, "a private (unique local) address"],
  ["fe80::", 10, "a link-local address"],
  ["fec0::", 10, "a site-local address"],
  ["ff00::", 8, "a multicast address"],
];

const rules = V4_RANGES.map(([net, bits, why]) => {
  const list = new BlockList();
  list.addSubnet(net, bits, "ipv4");
  return { list, why };
}).concat(
  V6_RANGES.map(([net, bits, why]) => {
    const list = new BlockList();
    list.addSubnet(net, bits, "ipv6");
    return { list, why };
  }),
);

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part is folded in). */
function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase().split("%")[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split(".").map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = tail === null ? [] : new Array(8 - h.length - t.length).fill("0");
  return [...h, ...fill, ...t].map((g) => parseInt(g || "0", 16));
}

/** The IPv4 address embedded in an IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address. */
function embeddedIpv4(ip: string): string | null {
  const g = ipv6Groups(ip);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (g.slice(0, 6).every((x) => x === 0) && (g[6] !== 0 || g[7] > 1)) return v4(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6], g[7]);
  if (g[0] === 0x2002) return v4(g[1], g[2]);
  return null;
}

/** Why `ip` is not a public unicast address, or null when it is. */
export function blockedReason(ip: string): string | null {
  const family = isIP(ip);
  if (family === 0) return "not an IP address";
  const type = family === 4 ? "ipv4" : "ipv6";
  for (const r of rules) if (r.list.check(ip, type)) return r.why;
  if (family === 6) {
    const inner = embeddedIpv4(ip);
    if (inner) {
      const why = blockedReason(inner);
      if (why) return `${why} (embedded in ${ip})`;
    }
  }
  return null;
}

/** The operator's allow-list: exact host names, IPs and CIDRs that may be reached although internal. */
export interface AllowList {
  hosts: Set<string>;
  nets: BlockList;
}

export function parseAllowList(raw: string): AllowList {
  const hosts = new Set<string>();
  const nets = new BlockList();
  for (const entry of raw
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    const [base, bits] = entry.split("/");
    const family = isIP(base);
    if (family && bits !== undefined) nets.addSubnet(base, Number(bits), family === 4 ? "ipv4" : "ipv6");
    else if (family) nets.addAddress(base, family === 4 ? "ipv4" : "ipv6");
    else hosts.add(entry);
  }
  return { hosts, nets };
}

function allowedIp(allow: AllowList, ip: string): boolean {
  return allow.nets.check(ip, isIP(ip) === 4 ? "ipv4" : "ipv6");
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface OutboundOptions {
  /** Defaults to LAB_OUTBOUND_ALLOW. */
  allow?: AllowList;
  /** DNS resolution (tests inject one); defaults to the system resolver. */
  resolve?: Resolver;
}

const systemResolve: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });
const defaultAllow = () => parseAllowList(env().LAB_OUTBOUND_ALLOW);

/** "http://host/" → "host"; IPv6 brackets removed. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
}

/**
 * The checks that need no DNS: http(s) only, and a literal IP host (in any encoding) or a
 * `localhost` name must be allowed. Returns the parsed URL.
 */
export function checkUrlSyntax(raw: string | URL, opts: Pick<OutboundOptions, "allow"> = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BlockedAddressError("Not a valid URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new BlockedAddressError(`Only http and https URLs are allowed (got ${url.protocol}).`);
  const allow = opts.allow ?? defaultAllow();
  const host = hostOf(url);
  if (allow.hosts.has(host)) return url;
  if (isIP(host)) {
    const why = allowedIp(allow, host) ? null : blockedReason(host);
    if (why) throw new BlockedAddressError(`${url.host} is ${why}; outbound calls to it are refused.`);
  } else if (host === "localhost" || host.endsWith(".localhost") || !host.includes(".")) {
    throw new BlockedAddressError(`${url.host} is a local name; outbound calls to it are refused.`);
  }
  return url;
}

/** Resolve `hostname` and refuse it when any address it resolves to is internal (and not allowed). */
export async function resolvePublic(
  hostname: string,
  opts: OutboundOptions = {},
): Promise<{ address: string; family: number }[]> {
  const allow = opts.allow ?? defaultAllow();
  const host = hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await (opts.resolve ?? systemResolve)(host);
  if (addresses.length === 0) throw new BlockedAddressError(`${host} does not resolve to any address.`);
  if (allow.hosts.has(host)) return addresses;
  for (const a of addresses) {
    const why = allowedIp(allow, a.address) ? null : blockedReason(a.address);
    if (why)
      throw new BlockedAddressError(`${host} resolves to ${a.address}, ${why}; outbound calls to it are refused.`);
  }
  return addresses;
}

/** Creation-time check of a user-supplied URL: syntax and literal addresses, then its DNS answer. */
export async function assertPublicUrl(raw: string, opts: OutboundOptions = {}): Promise<URL> {
  const url = checkUrlSyntax(raw, opts);
  await resolvePublic(url.hostname, opts);
  return url;
}

/**
 * Check a URL a user is saving (`field` names it in the 400). A name that does not resolve right
 * now is accepted: it may later, and every call resolves and checks again.
 */
export async function assertUserTarget(field: string, raw: string, opts: OutboundOptions = {}): Promise<void> {
  try {
    await assertPublicUrl(raw, opts);
  } catch (err) {
    if (err instanceof BlockedAddressError)
      throw new AppError("INVALID_INPUT", `${field}: ${err.message}`, { fieldErrors: { [field]: [err.message] } });
    const code = (err as { code?: string }).code;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ENODATA") return;
    throw err;
  }
}

/** A socket `lookup` that resolves through the address rules, so the checked address is the one connected to. */
function guardedLookup(opts: OutboundOptions): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolvePublic(hostname, opts).then(
      (addresses) =>
        options.all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family),
      (err: unknown) => callback(err),
    );
  }) as LookupFunction;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

async function bodyBytes(body: RequestInit["body"]): Promise<Buffer | null> {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return Buffer.from(await new Response(body).arrayBuffer());
}

function decode(res: IncomingMessage): Readable {
  const encoding = String(res.headers["content-encoding"] ?? "").toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") return res.pipe(createGunzip());
  if (encoding === "deflate") return res.pipe(createInflate());
  if (encoding === "br") return res.pipe(createBrotliDecompress());
  return res;
}

function once(
  url: URL,
  method: string,
  headers: Headers,
  body: Buffer | null,
  signal: AbortSignal | undefined,
  opts: OutboundOptions,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const outHeaders: Record<string, string> = {};
    headers.forEach((v, k) => (outHeaders[k] = v));
    if (body) outHeaders["content-length"] = String(body.byteLength);
    const req = send(url, { method, headers: outHeaders, signal, lookup: guardedLookup(opts), agent: false }, (res) => {
      const status = res.statusCode ?? 502;
      const resHeaders = new Headers();
      for (let i = 0; i < res.rawHeaders.length; i += 2) resHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
      resHeaders.delete("content-encoding");
      resHeaders.delete("content-length");
      const empty = method === "HEAD" || status === 204 || status === 205 || status === 304;
      if (empty) res.resume();
      const stream = empty ? null : (Readable.toWeb(decode(res)) as unknown as ReadableStream<Uint8Array>);
      resolve(
        new Response(stream, {
          status: status < 200 || status > 599 ? 502 : status,
          statusText: res.statusMessage,
          headers: resHeaders,
        }),
      );
    });
    req.on("error", (err) => reject(err.cause instanceof BlockedAddressError ? err.cause : err));
    req.end(body ?? undefined);
  });
}

/**
 * `fetch` through the address rules. Redirects are followed by hand (each hop checked) unless
 * `redirect` is "manual" (the 3xx answer is returned) or "error".
 */
export async function guardedFetch(
  input: string | URL | Request,
  init: RequestInit = {},
  opts: OutboundOptions = {},
): Promise<Response> {
  const allowList = opts.allow ?? defaultAllow();
  const o: OutboundOptions = { ...opts, allow: allowList };
  let url = checkUrlSyntax(input instanceof Request ? input.url : input, o);
  let method = (init.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
  let body = await bodyBytes(init.body ?? (input instanceof Request && input.body ? await input.arrayBuffer() : null));
  const signal = init.signal ?? undefined;
  for (let hop = 0; ; hop++) {
    const res = await once(url, method, headers, body, signal, o);
    const location = res.headers.get("location");
    if (!REDIRECTS.has(res.status) || !location || init.redirect === "manual") return res;
    await res.body?.cancel().catch(() => undefined);
    if (init.redirect === "error")
      throw new TypeError(`${url.host} answered with a redirect, which this call does not follow.`);
    if (hop >= MAX_REDIRECTS) throw new TypeError(`More than ${MAX_REDIRECTS} redirects from ${url.host}.`);
    const next = checkUrlSyntax(new URL(location, url), o);
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
      method = "GET";
      body = null;
      headers.delete("content-type");
    }
    if (next.origin !== url.origin) headers.delete("authorization");
    url = next;
  }
}
