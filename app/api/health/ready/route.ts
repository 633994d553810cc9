import { NextResponse } from "next/server";
import { readiness } from "@/server/ops/readiness";

export const dynamic = "force-dynamic";

/** Readiness: 200 when the database, migrations, queue and workers are fine; 503 naming what is not. */
export async function GET() {
  const report = await readiness();
  const body = report.ready
    ? report
    : { ...report, error: `Not ready: ${report.failing.map((k) => `${k} (${report.checks[k].detail})`).join("; ")}.` };
  return NextResponse.json(body, { status: report.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
