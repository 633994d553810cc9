import "server-only";
/**
 * REST API v1 plumbing: Bearer API-key authentication (the key decides the workspace), the
 * permission each route needs, JSON errors `{ error: { code, message } }` with the right status,
 * and RateLimit-* headers on every answer (Retry-After on 429).
 */
import { ZodError, type ZodType } from "zod";
import { AppError, HTTP_STATUS, isAppError } from "@/lib/errors";
import { can as roleCan, type Permission } from "@/lib/roles";
import { findNulPath, nulProblem, quoteInput } from "@/lib/schemas/text";
import { getDb, type Db } from "@/server/db";
import { authenticateApiKey } from "@/server/auth/api-keys";
import { describeZod } from "@/server/api/trpc";
import { clientIpFromHeaders } from "@/server/http/client-ip";
import { authorizeWorkspace, identifyRequest, principalOf, type WorkspaceCaller } from "@/server/auth/access";
import type { LimitState } from "@/server/services/rate-limit";
import { metrics } from "@/server/ops/metrics";

export interface RestContext {
  db: Db;
  ip: string | null;
  caller: WorkspaceCaller;
  workspaceSlug: string;
  limit: LimitState;
  /** Whether the caller also has `permission` (a second permission some actions need, e.g. approvals). */
  can: (permission: Permission) => boolean;
}

type RouteParams = { params: Promise<Record<string, string>> };

function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

function limitHeaders(limit: LimitState | null): Record<string, string> {
  if (!limit) return {};
  return {
    "RateLimit-Limit": String(limit.limit),
    "RateLimit-Remaining": String(limit.remaining),
    "RateLimit-Reset": String(limit.resetSeconds),
  };
}

export function errorResponse(err: unknown, limit: LimitState | null = null): Response {
  const headers: Record<string, string> = { ...limitHeaders(limit), "Cache-Control": "no-store" };
  if (err instanceof ZodError) {
    metrics().errors.inc({ code: "INVALID_INPUT" });
    return Response.json(errorBody("INVALID_INPUT", describeZod(err)), { status: 400, headers });
  }
  if (isAppError(err)) {
    metrics().errors.inc({ code: err.code });
    if (err.retryAfterSeconds) {
      headers["Retry-After"] = String(err.retryAfterSeconds);
      headers["RateLimit-Remaining"] = "0";
      headers["RateLimit-Reset"] = String(err.retryAfterSeconds);
    }
    return Response.json(errorBody(err.code, err.message), { status: HTTP_STATUS[err.code], headers });
  }
  console.error("[api/v1] unexpected error", err);
  return Response.json(errorBody("INTERNAL", "Something went wrong on our side. It has been logged."), {
    status: 500,
    headers,
  });
}

/** The answer for an /api path that no route handles: a JSON 404 naming the method and path. */
export function unknownApiRoute(req: Request): Response {
  const path = new URL(req.url).pathname;
  return Response.json(
    errorBody("NOT_FOUND", `No API route answers ${req.method} ${quoteInput(path, 200)}; see /api/v1/openapi.json.`),
    { status: 404, headers: { "Cache-Control": "no-store" } },
  );
}

/** Largest request body the JSON routes accept. */
export const MAX_BODY_BYTES = 1_000_000;

/** The body as text, refusing more than `limit` bytes (declared or actually sent). */
export async function readBodyText(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () =>
    new AppError("INVALID_INPUT", `The request body is larger than ${Math.round(limit / 1000)} kB.`);
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parse a JSON body with a zod schema; a non-JSON or oversized body is a 400 that says so. */
export async function readJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.includes("application/json"))
    throw new AppError("INVALID_INPUT", "Send the body as JSON with Content-Type: application/json.");
  const text = await readBodyText(req);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError("INVALID_INPUT", "The request body is not valid JSON.");
  }
  // Every JSON body of the API is an object; say so rather than "expected object" without a field.
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    const got = raw === null ? "null" : Array.isArray(raw) ? "an array" : `a ${typeof raw}`;
    throw new AppError("INVALID_INPUT", `The request body must be a JSON object, not ${got}.`);
  }
  const nul = findNulPath(raw);
  if (nul !== null) throw new AppError("INVALID_INPUT", nulProblem(nul));
  return schema.parse(raw);
}

/** Wrap a route handler: authenticate the key, check `permission`, map errors, add headers. */
export function apiRoute(
  permission: Permission,
  fn: (ctx: RestContext, req: Request, params: Record<string, string>) => Promise<unknown>,
  opts: { status?: number } = {},
) {
  return async (req: Request, route: RouteParams): Promise<Response> => {
    let limit: LimitState | null = null;
    try {
      const authorization = req.headers.get("authorization");
      if (!authorization) throw new AppError("UNAUTHORIZED", "Send your API key as `Authorization: Bearer <key>`.");
      const nulParam = findNulPath(Object.fromEntries(new URL(req.url).searchParams));
      if (nulParam !== null) throw new AppError("INVALID_INPUT", nulProblem(nulParam));
      const db = await getDb();
      const ip = clientIpFromHeaders(req.headers);
      const auth = await authenticateApiKey(db, authorization, ip);
      limit = auth.limit;
      // The key decides the workspace; the permission check is the same as everywhere else.
      const principal = principalOf(auth);
      const caller = await authorizeWorkspace(db, principal, auth.apiKey?.workspaceId, permission);
      const can = (p: Permission) =>
        principal?.type === "api_key"
          ? principal.apiKey.permissions.includes(p)
          : caller.role !== null && roleCan(caller.role, p);
      const ctx: RestContext = { db, ip, caller, workspaceSlug: auth.workspaceSlug, limit, can };
      const result = await fn(ctx, req, (await route.params) ?? {});
      if (result instanceof Response) {
        for (const [k, v] of Object.entries(limitHeaders(limit))) result.headers.set(k, v);
        return result;
      }
      return Response.json(result, {
        status: opts.status ?? 200,
        headers: { ...limitHeaders(limit), "Cache-Control": "no-store" },
      });
    } catch (err) {
      return errorResponse(err, limit);
    }
  };
}

/**
 * A route handler outside /api/v1 (session or API key) that needs `permission` in the workspace
 * named by the `workspaceId` query parameter: the same access check and the same JSON errors as
 * the REST API. `fn` returns the Response.
 */
export function workspaceRoute<P extends Record<string, string>>(
  permission: Permission,
  fn: (ctx: { db: Db; caller: WorkspaceCaller; url: URL; req: Request }, params: P) => Promise<Response>,
) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const url = new URL(req.url);
      const nul = findNulPath(Object.fromEntries(url.searchParams));
      if (nul !== null) throw new AppError("INVALID_INPUT", nulProblem(nul));
      const who = await identifyRequest(req);
      const caller = await authorizeWorkspace(
        who.db,
        principalOf(who),
        url.searchParams.get("workspaceId"),
        permission,
      );
      return await fn({ db: who.db, caller, url, req }, await route.params);
    } catch (err) {
      return errorResponse(err);
    }
  };
}
