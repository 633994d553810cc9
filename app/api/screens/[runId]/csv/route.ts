import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/schemas/ids";
import { workspaceRoute } from "@/server/http/rest";
import { screenRunCsv } from "@/server/services/screens";

export const dynamic = "force-dynamic";

/** GET /api/screens/:runId/csv?workspaceId=… → the ranked results of a finished screen run as CSV (runs.read). */
export const GET = workspaceRoute<{ runId: string }>("runs.read", async ({ db, caller }, { runId }) => {
  if (!isUuid(runId)) throw new AppError("NOT_FOUND", "Screen run not found.");
  const csv = await screenRunCsv(db, caller.workspaceId, runId);
  return new NextResponse(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="screen-${runId}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
