/**
 * `GET /api/v1/data/universes`: the universes the API key's workspace can use (scope `read`),
 * each with its symbol count and how current its stored bars are (newest bar, the furthest-behind
 * symbol's last bar, the last write).
 */
import { apiRoute } from "@/server/http/rest";
import { listUniversesHandler } from "@/server/http/v1/data";

export const dynamic = "force-dynamic";
export const GET = apiRoute("workspace.read", listUniversesHandler);
