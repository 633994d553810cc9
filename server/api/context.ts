import "server-only";
/** Builds the tRPC context from a request: database, actor (session or API key), client IP. */
import { TRPCError } from "@trpc/server";
import { isAppError } from "@/lib/errors";
import { identifyRequest } from "@/server/auth/access";
import type { Context } from "./trpc";

/** tRPC context: an `Authorization` header means an API key (and must be valid); otherwise the session. */
export async function createContextFromRequest(req: Request): Promise<Context> {
  try {
    return await identifyRequest(req);
  } catch (err) {
    if (isAppError(err)) {
      throw new TRPCError({
        code: err.code === "LIMIT_EXCEEDED" ? "TOO_MANY_REQUESTS" : "UNAUTHORIZED",
        message: err.message,
      });
    }
    throw err;
  }
}
