import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import { can } from "@/lib/roles";
import { createContextFromRequest } from "@/server/api/context";
import { getMembership } from "@/server/db/queries/workspaces";
import { screenRunCsv } from "@/server/services/screens";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GET /api/screens/:runId/csv?workspaceId=… → the ranked results of a finished screen run as CSV (runs.read). */
export async function GET(req: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const workspaceId = new URL(req.url).searchParams.get("workspaceId") ?? "";
  const error = (status: number, code: string, message: string) => NextResponse.json({ error: { code, message } }, { status });
  if (!UUID.test(runId) || !UUID.test(workspaceId)) return error(404, "NOT_FOUND", "Screen run not found.");
  const ctx = await createContextFromRequest(req);
  if (!ctx.actor) return error(401, "UNAUTHORIZED", "Sign in to export screen results.");
  let allowed: boolean;
  if (ctx.apiKey) {
    if (ctx.apiKey.workspaceId !== workspaceId) return error(404, "NOT_FOUND", "Screen run not found.");
    allowed = ctx.apiKey.permissions.includes("runs.read");
  } else {
    const m = ctx.actor.id ? await getMembership(ctx.db, { workspaceId, userId: ctx.actor.id }) : null;
    if (!m) return error(404, "NOT_FOUND", "Screen run not found.");
    allowed = can(m.role, "runs.read");
  }
  if (!allowed) return error(403, "FORBIDDEN", "Your role cannot read runs.");
  try {
    const csv = await screenRunCsv(ctx.db, workspaceId, runId);
    return new NextResponse(csv, {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="screen-${runId}.csv"`, "Cache-Control": "no-store" },
    });
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") return error(404, "NOT_FOUND", "Screen run not found.");
    if (err instanceof AppError && err.code === "CONFLICT") return error(409, "CONFLICT", err.message);
    throw err;
  }
}
