import "server-only";
/** Builds the tRPC / REST context from a request: database, actor (session or API key), client IP. */
import { getDb } from "@/server/db";
import { auth } from "@/server/auth";
import { clientIpFromHeaders } from "@/server/http/client-ip";
import type { Context } from "./trpc";

/** Hook for API-key authentication (`Authorization: Bearer …`); installed by server/auth/api-keys.ts. */
export type ApiKeyAuthenticator = (db: Context["db"], authorization: string, ip: string | null) => Promise<Pick<Context, "actor" | "apiKey">>;
let apiKeyAuthenticator: ApiKeyAuthenticator | null = null;
export function setApiKeyAuthenticator(fn: ApiKeyAuthenticator): void {
  apiKeyAuthenticator = fn;
}

export async function createContextFromRequest(req: Request): Promise<Context> {
  const db = await getDb();
  const ip = clientIpFromHeaders(req.headers);
  const authorization = req.headers.get("authorization");
  if (authorization && apiKeyAuthenticator) {
    return { db, ip, ...(await apiKeyAuthenticator(db, authorization, ip)) };
  }
  const session = await auth();
  const userId = session?.user?.id;
  return {
    db,
    ip,
    apiKey: null,
    actor: userId ? { type: "user", id: userId, label: session.user?.email ?? null, ip } : null,
  };
}
