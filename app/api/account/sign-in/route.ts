import { NextResponse } from "next/server";
import { AuthError } from "next-auth";
import { z } from "zod";
import { getDb } from "@/server/db";
import { signIn } from "@/server/auth";
import { clientIpFromHeaders } from "@/server/http/client-ip";
import { signInRetryAfter } from "@/server/services/accounts";
import { isAppError } from "@/lib/errors";
import { findNulPath, nulProblem } from "@/lib/schemas/text";

export const dynamic = "force-dynamic";

const body = z.object({ email: z.string().max(254), password: z.string().max(200) }).strict();

function invalid(message: string) {
  return NextResponse.json({ error: { code: "INVALID_INPUT", message } }, { status: 400 });
}

/** Email + password sign-in with a JSON answer: 200, 401 (wrong credentials) or 429 with Retry-After. */
export async function POST(req: Request) {
  const parsed = body.safeParse(await req.json().catch(() => null));
  if (!parsed.success) return invalid("Send JSON with email and password.");
  const nul = findNulPath(parsed.data);
  if (nul !== null) return invalid(nulProblem(nul));
  const db = await getDb();
  const ip = clientIpFromHeaders(req.headers);
  const tooMany = (seconds: number) =>
    NextResponse.json(
      { error: { code: "LIMIT_EXCEEDED", message: `Too many sign-in attempts. Try again in ${seconds} s.` } },
      { status: 429, headers: { "Retry-After": String(seconds) } },
    );
  const wait = await signInRetryAfter(db, parsed.data.email, ip);
  if (wait > 0) return tooMany(wait);
  try {
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirect: false });
    return NextResponse.json({ ok: true });
  } catch (err) {
    const cause = (err as { cause?: { err?: unknown } }).cause?.err;
    if (isAppError(cause) && cause.code === "LIMIT_EXCEEDED") return tooMany(cause.retryAfterSeconds ?? 60);
    if (err instanceof AuthError) {
      return NextResponse.json(
        { error: { code: "UNAUTHORIZED", message: "Wrong email or password." } },
        { status: 401 },
      );
    }
    throw err;
  }
}
