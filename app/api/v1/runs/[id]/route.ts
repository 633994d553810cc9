import { apiRoute } from "@/server/http/rest";
import { getRunHandler } from "@/server/http/v1/runs";

export const dynamic = "force-dynamic";
export const GET = apiRoute("runs.read", getRunHandler);
