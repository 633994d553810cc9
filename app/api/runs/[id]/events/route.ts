import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/schemas/ids";
import { workspaceRoute } from "@/server/http/rest";
import { getRun, runEventStream } from "@/server/services/runs";

export const dynamic = "force-dynamic";

/**
 * GET /api/runs/:id/events?workspaceId=… → text/event-stream of progress, then `done` with the result (runs.read).
 * The run is looked up first, so a missing or other workspace's id is a JSON 404, not an error inside a 200 stream.
 */
export const GET = workspaceRoute<{ id: string }>("runs.read", async ({ db, caller, req }, { id }) => {
  if (!isUuid(id)) throw new AppError("NOT_FOUND", "Run not found.");
  await getRun(db, caller.workspaceId, id);
  return new Response(runEventStream(db, caller.workspaceId, id, req.signal), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
});
