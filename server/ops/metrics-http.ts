import "server-only";
/**
 * /metrics over HTTP, for the app's custom server (server/http/start.mjs calls the hooks this
 * module puts on globalThis; a Next route would be bundled twice and would not see every
 * request) and for the worker's own metrics port.
 *
 * Access: `Authorization: Bearer $LAB_METRICS_TOKEN`. Token unset → 404 (the endpoint does not
 * exist); wrong or missing token → 401 with a one-line body that names no metric.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { env } from "@/lib/env";
import { withLogContext } from "./log-context";
import { metrics } from "./metrics";

/** The status and body /metrics answers for this Authorization header. */
export async function metricsResponse(
  authorization: string | undefined,
): Promise<{ status: number; contentType: string; body: string }> {
  const token = env().LAB_METRICS_TOKEN;
  const text = "text/plain; charset=utf-8";
  if (!token) return { status: 404, contentType: text, body: "Not found\n" };
  const given = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim() ?? "";
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return { status: 401, contentType: text, body: "Unauthorized: send Authorization: Bearer <LAB_METRICS_TOKEN>.\n" };
  }
  const registry = metrics().registry;
  return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
}

async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const out = await metricsResponse(req.headers.authorization);
    res.writeHead(out.status, { "content-type": out.contentType, "cache-control": "no-store" });
    res.end(out.body);
  } catch (err) {
    console.error("[metrics] scrape failed:", err instanceof Error ? err.message : err);
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("Metrics are unavailable.\n");
  }
}

const ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|[A-Za-z0-9_-]{20,}|[0-9a-f]{12,})$/i;
const MAX_ROUTES = 300;

/**
 * A bounded route label for a request path: ids and tokens become `:id`, static assets one
 * label, tRPC keeps the procedure names. Past MAX_ROUTES distinct labels, new ones are "other"
 * (a scanner probing random paths must not grow the registry without bound).
 */
export function routeLabel(url: string, seen: Set<string> = routeLabels()): string {
  const pathname = (url.split("?")[0] ?? "/").replace(/\/+$/, "") || "/";
  let label: string;
  if (pathname.startsWith("/_next/")) label = "/_next/*";
  else if (pathname.startsWith("/api/trpc/"))
    label = `/api/trpc/${pathname.slice(10).split(",").slice(0, 3).join(",")}`;
  else
    label = pathname
      .split("/")
      .slice(0, 7)
      .map((seg) => (ID.test(seg) ? ":id" : seg.length > 40 ? ":id" : seg))
      .join("/");
  if (seen.has(label)) return label;
  if (seen.size >= MAX_ROUTES) return "other";
  seen.add(label);
  return label;
}

const ROUTES = Symbol.for("strategy-lab.metrics-routes");
function routeLabels(): Set<string> {
  const g = globalThis as typeof globalThis & { [ROUTES]?: Set<string> };
  g[ROUTES] ??= new Set();
  return g[ROUTES];
}

/** Count one answered request (called by the custom server when the response finishes). */
export function observeHttp(method: string, url: string, status: number, seconds: number): void {
  if (url.startsWith("/metrics")) return;
  const m = metrics();
  const route = routeLabel(url);
  const verb = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(method) ? method : "OTHER";
  m.httpRequests.inc({ method: verb, route, status: String(status) });
  m.httpDuration.observe({ method: verb, route }, seconds);
}

/** What server/http/start.mjs looks for on globalThis. */
export const HTTP_HOOKS = Symbol.for("strategy-lab.http-hooks");
export interface HttpHooks {
  metrics(req: IncomingMessage, res: ServerResponse): Promise<void>;
  observe(method: string, url: string, status: number, seconds: number): void;
  /** Run the request's handling with its request id in the log context (and in `x-request-id`). */
  request(req: IncomingMessage, res: ServerResponse, handle: () => unknown): unknown;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

function inRequestContext(req: IncomingMessage, res: ServerResponse, handle: () => unknown): unknown {
  const given = req.headers["x-request-id"];
  const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
  req.headers["x-request-id"] = requestId;
  res.setHeader("x-request-id", requestId);
  return withLogContext({ requestId, subsystem: "http" }, handle);
}

/** Let the custom server serve /metrics, count requests and tag their log lines (idempotent). */
export function installHttpHooks(): void {
  const hooks: HttpHooks = { metrics: serveMetrics, observe: observeHttp, request: inRequestContext };
  (globalThis as Record<symbol, unknown>)[HTTP_HOOKS] = hooks;
}

/** A worker's metrics server on `port` (0 = any free port). Resolves with the bound port. */
export async function startMetricsServer(port: number, host = "0.0.0.0"): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    if ((req.url ?? "").split("?")[0] === "/metrics" && (req.method === "GET" || req.method === "HEAD"))
      void serveMetrics(req, res);
    else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return { port: typeof addr === "object" && addr ? addr.port : port, server };
}
