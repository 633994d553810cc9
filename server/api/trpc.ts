import "server-only";
/**
 * The tRPC procedure ladder. Each rung narrows ctx:
 *   publicProcedure                 ctx.db, ctx.ip, ctx.actor (maybe null)
 *   protectedProcedure              ctx.actor non-null (session user or API key)
 *   workspaceProcedure(permission)  input.workspaceId → membership (or key's workspace) → ctx.caller
 * An id from another workspace behaves exactly like a missing one (NOT_FOUND).
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import { AppError, isAppError, type AppErrorCode } from "@/lib/errors";
import { env } from "@/lib/env";
import type { Permission } from "@/lib/roles";
import { findNulPath, nulProblem } from "@/lib/schemas/text";
import { consumeLimit } from "@/server/services/rate-limit";
import type { Db } from "@/server/db";
import {
  authorizeWorkspace,
  principalOf,
  type Actor,
  type ApiKeyPrincipal,
  type WorkspaceCaller,
} from "@/server/auth/access";
import { metrics } from "@/server/ops/metrics";

// 1. Context ---------------------------------------------------------------------------------

export type { ApiKeyPrincipal };

export interface Context {
  db: Db;
  actor: Actor | null;
  apiKey: ApiKeyPrincipal | null;
  ip: string | null;
}

// 2. Errors ----------------------------------------------------------------------------------

const TRPC_CODE: Record<AppErrorCode, TRPCError["code"]> = {
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  INVALID_INPUT: "BAD_REQUEST",
  CONFLICT: "CONFLICT",
  LIMIT_EXCEEDED: "TOO_MANY_REQUESTS",
  UNPROCESSABLE: "UNPROCESSABLE_CONTENT",
  SANDBOX_TIMEOUT: "UNPROCESSABLE_CONTENT",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export function toTRPCError(err: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[err.code], message: err.message, cause: err });
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const zod = cause instanceof ZodError ? z.flattenError(cause) : null;
    const message = zod ? describeZod(cause as ZodError) : shape.message;
    const app = isAppError(cause) ? cause : null;
    return {
      ...shape,
      message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        zodError: zod,
        fieldErrors: app?.fieldErrors ?? null,
        retryAfterSeconds: app?.retryAfterSeconds ?? null,
      },
    };
  },
});

/** One sentence per zod issue: "name: Name is required." */
export function describeZod(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.join(".");
      const msg =
        i.code === "unrecognized_keys" ? `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(", ")}` : i.message;
      return path ? `${path}: ${msg}` : msg;
    })
    .join("; ");
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** AppErrors become their transport code; anything unexpected is logged and hidden from the client. */
const errorMapping = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  // Answered errors are counted by stable code; unexpected ones are counted when logged (INTERNAL).
  if (isAppError(cause)) {
    metrics().errors.inc({ code: cause.code });
    return { ...result, error: toTRPCError(cause) } as typeof result;
  }
  if (cause instanceof ZodError) {
    metrics().errors.inc({ code: "INVALID_INPUT" });
    // A schema checked inside the body (not the input validator) is still bad input: 400 naming the fields.
    if (result.error.code === "INTERNAL_SERVER_ERROR")
      return {
        ...result,
        error: new TRPCError({ code: "BAD_REQUEST", message: describeZod(cause), cause }),
      } as typeof result;
    return result;
  }
  if (result.error.code === "INTERNAL_SERVER_ERROR") {
    console.error(`[trpc] ${path} failed`, cause ?? result.error);
    return {
      ...result,
      error: new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message: "Something went wrong on our side. It has been logged.",
      }),
    } as typeof result;
  }
  return result;
});

// 3. Procedures ------------------------------------------------------------------------------

/** PostgreSQL cannot store NUL in text: any input carrying one is refused up front, naming the field. */
const rejectNul = t.middleware(async ({ getRawInput, next }) => {
  const path = findNulPath(await getRawInput());
  if (path !== null) throw new TRPCError({ code: "BAD_REQUEST", message: nulProblem(path) });
  return next();
});

export const publicProcedure = t.procedure.use(errorMapping).use(rejectNul);

export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in (or send an API key) to do this." });
  // API keys are limited when authenticated; signed-in users here, per user across all processes.
  if (ctx.actor.type === "user" && ctx.actor.id) {
    await consumeLimit(ctx.db, "user", ctx.actor.id, {
      points: env().LAB_USER_RPM,
      durationSeconds: 60,
      message: "You are sending requests too quickly.",
    });
  }
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/** A signed-in person (not an API key): account-level actions such as creating workspaces. */
export const userProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.actor.type !== "user" || !ctx.actor.id) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This action needs a signed-in user, not an API key." });
  }
  return next({ ctx: { ...ctx, userId: ctx.actor.id } });
});

const workspaceIdInput = z.object({ workspaceId: z.unknown() }).passthrough();

/** Requires `input.workspaceId`, membership in it (or an API key of it) and `permission` (server/auth/access.ts). */
export function workspaceProcedure(permission: Permission) {
  return protectedProcedure.use(async ({ ctx, getRawInput, next }) => {
    const parsed = workspaceIdInput.safeParse(await getRawInput());
    let caller: WorkspaceCaller;
    try {
      caller = await authorizeWorkspace(
        ctx.db,
        principalOf(ctx),
        parsed.success ? parsed.data.workspaceId : null,
        permission,
      );
    } catch (err) {
      throw isAppError(err) ? toTRPCError(err) : err;
    }
    return next({ ctx: { ...ctx, caller } });
  });
}
