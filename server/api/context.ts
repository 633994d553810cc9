import "server-only";
/** Builds the tRPC / REST context from a request: database, actor (session or API key), client IP. */
import { TRPCError } from "@trpc/server";
import { isAppError } from "@/lib/errors";
import { getDb } from "@/server/db";
import { auth } from "@/server/auth";
import { authenticateApiKey } from "@/server/auth/api-keys";
import { clientIpFromHeaders } from "@/server/http/client-ip";
import type { Context } from "./trpc";

/** Session-based context (cookies). API keys are handled by {@link createContextFromRequest}. */
export async function createSessionContext(req: Request): Promise<Context> {
  const db = await getDb();
  const ip = clientIpFromHeaders(req.headers);
  const session = await auth();
  const userId = session?.user?.id;
  return {
    db,
    ip,
    apiKey: null,
    actor: userId ? { type: "user", id: userId, label: session.user?.email ?? null, ip } : null,
  };
}

/** tRPC context: an `Authorization` header means an API key (and must be valid); otherwise the session. */
export async function createContextFromRequest(req: Request): Promise<Context> {
  const authorization = req.headers.get("authorization");
  if (!authorization) return createSessionContext(req);
  const db = await getDb();
  const ip = clientIpFromHeaders(req.headers);
  try {
    const { actor, apiKey } = await authenticateApiKey(db, authorization, ip);
    return { db, ip, actor, apiKey };
  } catch (err) {
    if (isAppError(err)) {
      throw new TRPCError({ code: err.code === "LIMIT_EXCEEDED" ? "TOO_MANY_REQUESTS" : "UNAUTHORIZED", message: err.message });
    }
    throw err;
  }
}
