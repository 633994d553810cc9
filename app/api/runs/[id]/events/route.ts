import { NextResponse } from "next/server";
import { can } from "@/lib/roles";
import { createContextFromRequest } from "@/server/api/context";
import { getMembership } from "@/server/db/queries/workspaces";
import { runEventStream } from "@/server/services/runs";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GET /api/runs/:id/events?workspaceId=… → text/event-stream of progress, then `done` with the result. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const workspaceId = new URL(req.url).searchParams.get("workspaceId") ?? "";
  const error = (status: number, code: string, message: string) => NextResponse.json({ error: { code, message } }, { status });
  if (!UUID.test(id) || !UUID.test(workspaceId)) return error(404, "NOT_FOUND", "Run not found.");
  const ctx = await createContextFromRequest(req);
  if (!ctx.actor?.id || ctx.apiKey) return error(401, "UNAUTHORIZED", "Sign in to watch runs.");
  const m = await getMembership(ctx.db, { workspaceId, userId: ctx.actor.id });
  if (!m) return error(404, "NOT_FOUND", "Run not found.");
  if (!can(m.role, "runs.read")) return error(403, "FORBIDDEN", `Your role (${m.role}) does not allow runs.read.`);
  return new Response(runEventStream(ctx.db, workspaceId, id, req.signal), {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" },
  });
}
