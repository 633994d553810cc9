import { timingSafeEqual } from "node:crypto";
import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { getDatabase } from "@/server/db";
import { getBoss } from "@/server/jobs/boss";
import { drainJobs } from "@/server/jobs/drain";

export const dynamic = "force-dynamic";

/**
 * POST /api/jobs/drain[?seconds=N] with `Authorization: Bearer <LAB_CRON_SECRET>`: processes due
 * jobs for up to N seconds (default 25, max 55) and returns counts. 404 when LAB_CRON_SECRET is unset.
 */
export async function POST(req: Request) {
  const secret = env().LAB_CRON_SECRET;
  if (!secret) return NextResponse.json({ error: { code: "NOT_FOUND", message: "Not found." } }, { status: 404 });
  const got = Buffer.from(req.headers.get("authorization") ?? "");
  const want = Buffer.from(`Bearer ${secret}`);
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    return NextResponse.json(
      { error: { code: "UNAUTHORIZED", message: "Send Authorization: Bearer <LAB_CRON_SECRET>." } },
      { status: 401 },
    );
  }
  const seconds = Math.min(55, Math.max(1, Number(new URL(req.url).searchParams.get("seconds") ?? 25) || 25));
  const handle = await getDatabase();
  const result = await drainJobs(await getBoss(), handle.db, seconds);
  return NextResponse.json(result);
}
