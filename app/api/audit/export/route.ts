import { NextResponse } from "next/server";
import { auditQueryInput } from "@/lib/schemas/workspaces";
import { workspaceRoute } from "@/server/http/rest";
import { exportAuditCsv } from "@/server/services/audit";

export const dynamic = "force-dynamic";

/** GET /api/audit/export?workspaceId=…[&actorId&action&from&to] → CSV of the filtered audit trail (audit.read: admins). */
export const GET = workspaceRoute("audit.read", async ({ db, caller, url }) => {
  const parsed = auditQueryInput.omit({ cursor: true, limit: true }).safeParse(Object.fromEntries(url.searchParams));
  // The ZodError answers 400 with each problem prefixed by its parameter's name.
  if (!parsed.success) throw parsed.error;
  const csv = await exportAuditCsv(db, { ...parsed.data, workspaceId: caller.workspaceId });
  return new NextResponse(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${caller.workspaceId}.csv"`,
    },
  });
});
