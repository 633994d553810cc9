import { NextResponse } from "next/server";
import { can } from "@/lib/roles";
import { findNulPath, nulProblem } from "@/lib/schemas/text";
import { auditQueryInput } from "@/lib/schemas/workspaces";
import { createContextFromRequest } from "@/server/api/context";
import { getMembership } from "@/server/db/queries/workspaces";
import { exportAuditCsv } from "@/server/services/audit";

export const dynamic = "force-dynamic";

/** GET /api/audit/export?workspaceId=…[&actorId&action&from&to] → CSV of the filtered audit trail (admins). */
export async function GET(req: Request) {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = auditQueryInput.omit({ cursor: true, limit: true }).safeParse(params);
  const error = (status: number, code: string, message: string) => NextResponse.json({ error: { code, message } }, { status });
  const nul = findNulPath(params);
  if (nul !== null) return error(400, "INVALID_INPUT", nulProblem(nul));
  if (!parsed.success) return error(400, "INVALID_INPUT", parsed.error.issues[0]?.message ?? "Invalid filter.");
  const ctx = await createContextFromRequest(req);
  if (!ctx.actor) return error(401, "UNAUTHORIZED", "Sign in to export the audit log.");
  const { workspaceId } = parsed.data;
  let allowed: boolean;
  if (ctx.apiKey) {
    if (ctx.apiKey.workspaceId !== workspaceId) return error(404, "NOT_FOUND", "Workspace not found.");
    allowed = ctx.apiKey.permissions.includes("audit.read");
  } else {
    const m = ctx.actor.id ? await getMembership(ctx.db, { workspaceId, userId: ctx.actor.id }) : null;
    if (!m) return error(404, "NOT_FOUND", "Workspace not found.");
    allowed = can(m.role, "audit.read");
  }
  if (!allowed) return error(403, "FORBIDDEN", "Only admins can export the audit log.");
  const csv = await exportAuditCsv(ctx.db, parsed.data);
  return new NextResponse(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${workspaceId}.csv"`,
    },
  });
}
